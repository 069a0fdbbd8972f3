/**
 * The wire form of proof-of-weights records (docs/api.md `GET /v1/proof-of-weights`): zod only, so the client SDK
 * (and the browser dashboard built from it) reads them without the validator's store (pow-records.ts).
 */
import { z } from 'zod';

/**
 * One chunk's proof: the scoring circuit proves the score update of `batch` (16) uids at a time, so an epoch over
 * up to 256 uids holds one chunk per 16 uids, each proven (possibly by a different miner) and verified alone.
 */
export const PowChunkSchema = z.object({
  /** uids of the circuit's columns, in order (the rest of the batch is padding). */
  uids: z.array(z.number().int().min(0)),
  /** Hotkeys of `uids` when the record was made (a re-registered uid starts again from 0). */
  hotkeys: z.array(z.string()),
  /** The circuit's input rows (score_scaled, verified, rt_norm, size_frac, output_score) × batch, flattened. */
  inputs: z.array(z.number()),
  /** Proven new n-scaled scores of `uids` (decoded from the public signals). */
  scores: z.array(z.number()),
  proof: z.unknown(),
  public_signals: z.array(z.string().regex(/^\d{1,80}$/)),
  miner_uid: z.number().int().min(0),
  miner_hotkey: z.string(),
});
export type PowChunk = z.infer<typeof PowChunkSchema>;

const CHUNK_KEYS = ['uids', 'hotkeys', 'inputs', 'scores', 'proof', 'public_signals', 'miner_uid', 'miner_hotkey'] as const;

/** Records written before chunks existed held one proof in their top-level fields: read them as one chunk. */
function chunkedBody(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || 'chunks' in v || !('proof' in v)) return v;
  const o = v as Record<string, unknown>;
  const rest = Object.fromEntries(Object.entries(o).filter(([k]) => !(CHUNK_KEYS as readonly string[]).includes(k)));
  return { ...rest, chunks: [Object.fromEntries(CHUNK_KEYS.map((k) => [k, o[k]]))] };
}

export const PowRecordBodySchema = z.object({
  id: z.number().int().min(1),
  epoch: z.number().int().min(0),
  /** Block of the set_weights extrinsic (null while pending). */
  block: z.number().int().min(0).nullable(),
  status: z.enum(['pending', 'set']),
  netuid: z.number().int().min(0),
  validator_hotkey: z.string().min(1),
  circuit_id: z.string().regex(/^[0-9a-f]{64}$/),
  /** One verified proof per 16 uids; together they cover every uid given a weight, each uid once. */
  chunks: z.array(PowChunkSchema).min(1),
  /** Share of the weight mass that follows the competition scores (the inputs' output_score row); 0 = benchmark only. */
  competition_share: z.number().min(0).max(1).default(0),
  /** u16 weights set on chain for `weight_uids` (what the proven scores of all chunks imply). */
  weight_uids: z.array(z.number().int().min(0)),
  weights: z.array(z.number().int().min(0).max(65535)),
  created_at: z.number(),
});

/** A record as served by `GET /v1/proof-of-weights` and read by `zkinfer verify-weights` (a process boundary). */
export const PowRecordSchema = z.preprocess(chunkedBody, PowRecordBodySchema);
export type PowRecord = z.infer<typeof PowRecordBodySchema>;
export const PowRecordListSchema = z.object({ records: z.array(PowRecordSchema) });
