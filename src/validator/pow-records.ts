/**
 * Proof-of-weights records (docs/network.md, proof of weights): one per epoch, in the validator's SQLite store,
 * written when the proof is verified and BEFORE set_weights (status 'pending'), then marked 'set' with the block.
 * A crash between the two loses nothing: the restarted validator sets the pending record's weights. A record holds
 * one proof per chunk of 16 uids; records of one proof (before chunks) are read as a record of one chunk.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { blendScores } from './competition-scores.js';
import { weightsForEmit } from './scoring.js';

/** Rows of the scoring circuit's input (score_scaled, verified, rt_norm, size_frac, output_score). */
const SCORING_INPUT_ROWS = 5;

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

const PowRecordBodySchema = z.object({
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

/**
 * The weights a record's proofs imply: the proven scores of every chunk blended with the competition scores they
 * were proven with (row 4 of each chunk's inputs, bound by its proof) at the record's share, normalised to u16
 * over the union of the chunks (docs/network.md).
 */
export function provenWeights(r: Pick<PowRecord, 'chunks' | 'competition_share'>): { uids: number[]; weights: number[] } {
  const scores = new Map<number, number>();
  const comp = new Map<number, number>();
  for (const c of r.chunks) {
    const batch = c.inputs.length / SCORING_INPUT_ROWS;
    c.uids.forEach((u, j) => { scores.set(u, c.scores[j]!); comp.set(u, c.inputs[4 * batch + j] ?? 0); });
  }
  return weightsForEmit(blendScores(scores, comp, r.competition_share));
}

/**
 * How many records a validator keeps (docs/network.md "Proof of weights"): one is written per weights epoch and holds
 * a proof per 16 uids (≈ 160 kB at 256 uids), so the newest 1,000 — ≈ 50 days at finney's 72-minute tempo — bound
 * the table; each new record deletes those that fall out.
 */
export const POW_RECORDS_KEEP = 1000;
/** Most records one `GET /v1/proof-of-weights` serves (`zkinfer verify-weights` reads 50). */
export const POW_LIST_MAX = 50;

const [LIST_OPEN, COMMA, LIST_CLOSE] = ['{"records":[', ',', ']}'].map((t) => Buffer.from(t)) as [Buffer, Buffer, Buffer];

type PowRow = { id: number; block: number | null; status: 'pending' | 'set'; body: string };

/** A stored row as served: records written before competition shares existed were benchmark-only (share 0), before chunks one proof. */
function parseRow(row: PowRow): PowRecord {
  return PowRecordSchema.parse({ ...(JSON.parse(row.body) as object), id: row.id, block: row.block, status: row.status });
}

export class PowRecords {
  /** Each served record's JSON by id, for as long as its status and block are the row's (at most POW_LIST_MAX). */
  private readonly served = new Map<number, { status: string; block: number | null; json: Buffer }>();

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS pow_records (id INTEGER PRIMARY KEY AUTOINCREMENT, epoch INTEGER NOT NULL, block INTEGER,
      status TEXT NOT NULL, last_request_id INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL)`);
  }

  /** Store a verified record as pending (before set_weights); returns its id. Records past POW_RECORDS_KEEP go. */
  add(r: Omit<z.input<typeof PowRecordBodySchema>, 'id' | 'block' | 'status'>, lastRequestId: number): number {
    const res = this.db.prepare(`INSERT INTO pow_records (epoch, block, status, last_request_id, body, created_at) VALUES (?, NULL, 'pending', ?, ?, ?)`)
      .run(r.epoch, lastRequestId, JSON.stringify(r), r.created_at);
    const id = Number(res.lastInsertRowid);
    this.db.prepare(`DELETE FROM pow_records WHERE id <= ?`).run(id - POW_RECORDS_KEEP);
    return id;
  }

  markSet(id: number, block: number): void {
    this.db.prepare(`UPDATE pow_records SET status = 'set', block = ? WHERE id = ?`).run(block, id);
  }

  private rows(limit: number): PowRow[] {
    return this.db.prepare(`SELECT id, block, status, body FROM pow_records ORDER BY id DESC LIMIT ?`).all(limit) as PowRow[];
  }

  /** Records, newest first. */
  list(limit = 20): PowRecord[] {
    return this.rows(limit).map(parseRow);
  }

  /**
   * `{"records":[…]}` of the newest `limit` (≤ POW_LIST_MAX) records, as `GET /v1/proof-of-weights` serves it, in
   * chunks to write as they are. The API is public and a record is large: each record is parsed and serialised once,
   * not on every request (200 records of 256 uids took ≈ 0.6 s of the validator's event loop per request), and no
   * request joins them into one more copy.
   */
  listJson(limit: number): Buffer[] {
    const rows = this.db.prepare(`SELECT id, block, status FROM pow_records ORDER BY id DESC LIMIT ?`).all(Math.min(limit, POW_LIST_MAX)) as Array<Omit<PowRow, 'body'>>;
    const bodyOf = this.db.prepare(`SELECT body FROM pow_records WHERE id = ?`).pluck();
    const chunks = [LIST_OPEN];
    for (const [k, row] of rows.entries()) {
      let hit = this.served.get(row.id);
      if (!hit || hit.status !== row.status || hit.block !== row.block) {
        hit = { status: row.status, block: row.block, json: Buffer.from(JSON.stringify(parseRow({ ...row, body: bodyOf.get(row.id) as string }))) };
        this.served.set(row.id, hit);
      }
      if (k > 0) chunks.push(COMMA);
      chunks.push(hit.json);
    }
    chunks.push(LIST_CLOSE);
    const keep = new Set(rows.map((r) => r.id));
    for (const id of this.served.keys()) if (!keep.has(id) && this.served.size > POW_LIST_MAX) this.served.delete(id);
    return chunks;
  }

  latest(): (PowRecord & { lastRequestId: number }) | undefined {
    const row = this.db.prepare(`SELECT id, last_request_id FROM pow_records ORDER BY id DESC LIMIT 1`).get() as { id: number; last_request_id: number } | undefined;
    if (!row) return undefined;
    return { ...this.list(1)[0]!, lastRequestId: row.last_request_id };
  }
}
