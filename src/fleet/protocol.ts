import { z } from 'zod';
import { Groth16ProofSchema } from '../zkml/format/proof-file.js';

/**
 * What the miner and its prover workers exchange through Redis (docs/scale-out.md, "Design"): one BullMQ
 * queue per circuit, a heartbeat hash per circuit, and a liveness key per worker. Both sides parse what they
 * read with these schemas (Redis is a process boundary).
 */

/** BullMQ key prefix of every zkinfer queue. */
export const FLEET_PREFIX = 'zkinfer';

/** The proving queue of one circuit (BullMQ queue names must not contain ':'). */
export const queueName = (circuitId: string): string => `prove-${circuitId}`;

/** Hash: worker id → WorkerBeat JSON, for the workers serving `circuitId`. */
export const beatsKey = (circuitId: string): string => `${FLEET_PREFIX}:fleet:${circuitId}:workers`;

/** String with a short TTL, refreshed by the worker's heartbeat: its absence means the worker is gone. */
export const aliveKey = (circuitId: string, workerId: string): string => `${FLEET_PREFIX}:fleet:${circuitId}:alive:${workerId}`;

/**
 * Pub/sub channel of one miner process (FleetBackend) where workers publish each result the moment it is proven,
 * ahead of BullMQ's completion (docs/scale-out.md, "Design": the reply channel). The id is a random UUID.
 */
export const replyChannel = (minerId: string): string => `${FLEET_PREFIX}:fleet:reply:${minerId}`;
const REPLY_CHANNEL = /^zkinfer:fleet:reply:[0-9a-f-]{36}$/;

/** sha256 of each artifact file, as in metadata.json `files` (one witness generator: wasm or program). */
export const FileHashesSchema = z.object({ r1cs: z.string(), wasm: z.string().optional(), program: z.string().optional(), zkey: z.string(), vk: z.string() });

/** One proving job: witness-generator input for a circuit, plus the artifact hashes the miner proves with. */
export const ProveJobDataSchema = z.strictObject({
  circuitId: z.string().regex(/^[0-9a-f]{64}$/),
  files: FileHashesSchema,
  signals: z.record(z.string(), z.array(z.string())),
  /** The miner's reply channel; absent: the result goes back through BullMQ's event stream only. */
  replyTo: z.string().regex(REPLY_CHANNEL).optional(),
});
export type ProveJobData = z.infer<typeof ProveJobDataSchema>;

/** A worker's answer (BullMQ returnvalue). */
export const ProveJobResultSchema = z.object({
  proof: Groth16ProofSchema,
  publicSignals: z.array(z.string()),
  workerId: z.string(),
  witnessMs: z.number(),
  proveMs: z.number(),
  prover: z.string(),
  /**
   * When the worker took the job and when its proof was ready, in ms since the epoch on the worker's clock
   * (performance.timeOrigin + performance.now()): the miner splits its round trip into hops with them, which is
   * meaningful when both run on one machine (bench:fleet).
   */
  pickedAt: z.number().optional(),
  provedAt: z.number().optional(),
});
export type ProveJobResultData = z.infer<typeof ProveJobResultSchema>;

/** A message on a reply channel: the job id and its result (parsed by the miner with ProveJobResultSchema). */
export const FleetReplySchema = z.object({ jobId: z.string().min(1), result: z.unknown() });
export type FleetReply = z.infer<typeof FleetReplySchema>;

/** Wall-clock ms with sub-ms resolution, comparable between processes of one machine. */
export const wallMs = (): number => performance.timeOrigin + performance.now();

/** A worker's heartbeat for one circuit: its capacity and its own counters. */
export const WorkerBeatSchema = z.object({
  workerId: z.string(),
  host: z.string(),
  pid: z.number().int(),
  concurrency: z.number().int().positive(),
  active: z.number().int().nonnegative(),
  jobs: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  prover: z.string(),
});
export type WorkerBeat = z.infer<typeof WorkerBeatSchema>;
