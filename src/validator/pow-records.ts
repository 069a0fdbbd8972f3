/**
 * Proof-of-weights records (docs/network.md, proof of weights): one per epoch, in the validator's SQLite store,
 * written when the proof is verified and BEFORE set_weights (status 'pending'), then marked 'set' with the block.
 * A crash between the two loses nothing: the restarted validator sets the pending record's weights. A record holds
 * one proof per chunk of 16 uids; records of one proof (before chunks) are read as a record of one chunk.
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { jsonArrayChunks } from '../api/json-chunks.js';
import { blendScores } from './competition-scores.js';
import { PowRecordBodySchema, PowRecordSchema, type PowRecord } from './pow-wire.js';
import { weightsForEmit } from './scoring.js';

export { PowRecordListSchema, PowRecordSchema, type PowChunk, type PowRecord } from './pow-wire.js';

/** Rows of the scoring circuit's input (score_scaled, verified, rt_norm, size_frac, output_score). */
const SCORING_INPUT_ROWS = 5;

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

const [RECORDS_OPEN, RECORDS_CLOSE] = ['{"records":', '}'].map((t) => Buffer.from(t)) as [Buffer, Buffer];

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
    const records = rows.map((row) => {
      let hit = this.served.get(row.id);
      if (!hit || hit.status !== row.status || hit.block !== row.block) {
        hit = { status: row.status, block: row.block, json: Buffer.from(JSON.stringify(parseRow({ ...row, body: bodyOf.get(row.id) as string }))) };
        this.served.set(row.id, hit);
      }
      return hit.json;
    });
    const keep = new Set(rows.map((r) => r.id));
    for (const id of this.served.keys()) if (!keep.has(id) && this.served.size > POW_LIST_MAX) this.served.delete(id);
    return [RECORDS_OPEN, ...jsonArrayChunks(records), RECORDS_CLOSE];
  }

  latest(): (PowRecord & { lastRequestId: number }) | undefined {
    const row = this.db.prepare(`SELECT id, last_request_id FROM pow_records ORDER BY id DESC LIMIT 1`).get() as { id: number; last_request_id: number } | undefined;
    if (!row) return undefined;
    return { ...this.list(1)[0]!, lastRequestId: row.last_request_id };
  }
}
