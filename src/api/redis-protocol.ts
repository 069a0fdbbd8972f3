import { z } from 'zod';

/**
 * What the API replicas' shared request queue keeps in Redis (docs/scale-out.md, "API replicas"): one BullMQ
 * queue; a job is one external request, its return value the verified result. Parsed with zod on every read,
 * since any replica (or anyone with access to the Redis) may have written it.
 */
export const API_QUEUE_PREFIX = 'zkinfer:api';
export const API_QUEUE_NAME = 'external';

export const ApiJobDataSchema = z.object({
  circuitId: z.string().regex(/^[0-9a-f]{64}$/),
  /** The input as the caller sent it (for display). */
  input: z.unknown(),
  /** The same input as circuit tensors (real numbers by input tensor name, flattened). */
  tensors: z.record(z.string(), z.array(z.number())),
  source: z.string().min(1),
  caller: z.string().optional(),
});
export type ApiJobData = z.infer<typeof ApiJobDataSchema>;

export const ApiJobResultSchema = z.object({
  proof: z.unknown(),
  publicSignals: z.array(z.string()),
  outputs: z.record(z.string(), z.array(z.number())),
  minerUid: z.number().int(),
  minerHotkey: z.string(),
  responseMs: z.number(),
});
export type ApiJobResult = z.infer<typeof ApiJobResultSchema>;

/** Job progress written by the replica that holds the request: the miner it was sent to. */
export const ApiJobProgressSchema = z.object({ status: z.literal('proving'), minerUid: z.number().int().optional(), at: z.number() });
export type ApiJobProgress = z.infer<typeof ApiJobProgressSchema>;
