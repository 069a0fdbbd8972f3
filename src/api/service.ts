/**
 * What the external API needs from the rest of the validator, as small typed interfaces (dependency
 * injection): the validator's external-request queue, the circuit catalog, and a view of the network for
 * the dashboard. src/api/wiring.ts adapts the real validator parts to these.
 */
import type { z } from 'zod';
import type { CircuitMetadata } from '../zkml/format/metadata.js';
import type { Groth16Proof } from '../zkml/prove/types.js';

export type InferenceStatus = 'queued' | 'dispatched' | 'proving' | 'verifying' | 'verified' | 'failed';

/** Order of statuses (a stream never goes back). */
export const STATUS_RANK: Readonly<Record<InferenceStatus, number>> = { queued: 0, dispatched: 1, proving: 2, verifying: 3, verified: 4, failed: 4 };

export const TERMINAL_STATUSES: ReadonlySet<InferenceStatus> = new Set(['verified', 'failed']);

/** One external (or custom-query) inference as the API serves it. */
export interface InferenceRecord {
  id: string;
  circuitId: string;
  /** `external`, or `custom:<template name>` for a validator's own custom query. */
  source: string;
  /** Who asked: ss58, `key:<name>`, or `ip:<addr>` in open mode. */
  caller?: string;
  status: InferenceStatus;
  /** The input as submitted (validated JSON). */
  input: unknown;
  /** Outputs decoded to floats, by output tensor name (flattened row-major). */
  output?: Record<string, number[]>;
  proof?: Groth16Proof;
  publicSignals?: string[];
  minerUid?: number;
  minerHotkey?: string;
  error?: string;
  /** Epoch milliseconds of each step, and durations in ms. */
  timings: {
    submittedAt: number;
    dispatchedAt?: number;
    completedAt?: number;
    /** Miner's response time (request sent → proof received). */
    responseMs?: number;
    verifyMs?: number;
    totalMs?: number;
  };
}

/** A verified result (the validator's `ExternalResult`, or the same shape stored in Redis) copied onto its record. */
export function withResult(
  out: InferenceRecord,
  r: { proof: unknown; publicSignals: string[]; outputs: Record<string, number[]>; minerUid: number; minerHotkey: string; responseMs: number },
): InferenceRecord {
  out.output = r.outputs;
  out.proof = r.proof as InferenceRecord['proof'];
  out.publicSignals = r.publicSignals;
  out.minerUid = r.minerUid;
  out.minerHotkey = r.minerHotkey;
  out.timings.responseMs = r.responseMs;
  return out;
}

/** A progress event of one inference (sent over SSE and WebSocket). */
export interface ProgressEvent {
  id: string;
  status: InferenceStatus;
  /** Epoch ms. */
  at: number;
  minerUid?: number;
  detail?: string;
}

export interface SubmitRequest {
  circuitId: string;
  /** The input as the caller sent it (validated against the circuit's schema), kept for display. */
  input: unknown;
  /** The same input as the circuit's tensors: real numbers by input tensor name, flattened row-major. */
  tensors: Record<string, number[]>;
  source: string;
  caller?: string;
}

/** The validator's external-request queue (served ahead of benchmark traffic). */
export interface InferenceService {
  /** Enqueue; resolves with the new id. Rejects with UnavailableError (503) when the queue is full. */
  submit(req: SubmitRequest): Promise<{ id: string }>;
  get(id: string): InferenceRecord | undefined | Promise<InferenceRecord | undefined>;
  /** Most recent first. */
  list(opts: { limit: number; source?: string }): InferenceRecord[] | Promise<InferenceRecord[]>;
  /** Listen to progress events of one inference; returns an unsubscribe function. */
  subscribe(id: string, listener: (e: ProgressEvent) => void): () => void;
}

/** One circuit the validator can route inferences for. */
export interface CircuitEntry {
  metadata: CircuitMetadata;
  /** Names it can be asked by besides its id (model name, e.g. `staking-lstm`). */
  aliases: string[];
  /** zod schema of the `input` object. */
  inputSchema: z.ZodType;
  /** A valid example input (shown by the dashboard). */
  example?: unknown;
  /** One readable line about a decoded output, when the model has a meaning for it. */
  describe?(output: Record<string, number[]>): string;
  /** A valid `input` (parsed by inputSchema) as the circuit's tensors, flattened row-major by tensor name. */
  encode(input: unknown): Record<string, number[]>;
  /** snarkjs verification key JSON. */
  vk(): Promise<unknown>;
  /** Solidity Groth16 verifier contract source. */
  verifierSol(): Promise<string>;
}

export interface CircuitCatalog {
  list(): CircuitEntry[];
  /** By circuit id, or by alias (model name). */
  resolve(idOrName: string): CircuitEntry | undefined;
}

/** One miner row of the dashboard overview. */
export interface MinerView {
  uid: number;
  hotkey: string;
  score: number;
  weight: number;
  incentive: number;
  verified: number;
  failed: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
}

export interface NetworkOverview {
  netuid: number;
  block: number;
  miners: MinerView[];
  verified: number;
  failed: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
}

/** Read-only view of the validator's scoring state and the chain, for the dashboard. */
export interface NetworkView {
  overview(): Promise<NetworkOverview>;
}

/** Who may call: validator permits on a netuid (from the chain metagraph). */
export interface PermitSource {
  /** true when `ss58` is registered on the netuid and holds a validator permit. */
  hasValidatorPermit(ss58: string): Promise<boolean>;
}
