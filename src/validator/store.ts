import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One scored neuron as persisted. */
export interface ScoreRow {
  uid: number;
  hotkey: string;
  score: number;
  verified: number;
  failed: number;
}

export interface RequestLogEntry {
  at: number;
  uid: number;
  hotkey: string;
  circuitId: string;
  source: 'benchmark' | 'external' | 'proof-of-weights';
  status: number;
  verified: boolean;
  rtS: number;
  proofSize: number;
  error?: string;
}

/** How many successful response times per circuit feed the rt bounds. */
const RT_WINDOW = 2000;

/** How long the request log keeps a request (docs/network.md, "Persistence"). */
export const REQUEST_LOG_KEEP_MS = 7 * 24 * 3600 * 1000;
/** The request log is pruned at every this many logged requests, from its oldest rows, at most ten times as many. */
const PRUNE_EVERY = 100;

/**
 * The validator's SQLite state (better-sqlite3, WAL): scores, response-time samples, request log, replay guard
 * hashes, external requests (ExternalQueue), and small meta values. A restart loses nothing.
 */
export class ValidatorStore {
  readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS scores (uid INTEGER PRIMARY KEY, hotkey TEXT NOT NULL, score REAL NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS rt_samples (id INTEGER PRIMARY KEY AUTOINCREMENT, circuit_id TEXT NOT NULL, rt REAL NOT NULL);
      CREATE INDEX IF NOT EXISTS rt_samples_circuit ON rt_samples(circuit_id, id);
      CREATE TABLE IF NOT EXISTS requests (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, uid INTEGER NOT NULL,
        hotkey TEXT NOT NULL, circuit_id TEXT NOT NULL, source TEXT NOT NULL, status INTEGER NOT NULL, verified INTEGER NOT NULL,
        rt REAL NOT NULL, proof_size INTEGER NOT NULL, error TEXT);
      CREATE INDEX IF NOT EXISTS requests_uid ON requests(uid, id);
      CREATE TABLE IF NOT EXISTS replay (hash TEXT PRIMARY KEY, seq INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS replay_seq ON replay(seq);
    `);
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value);
  }

  scores(): ScoreRow[] {
    return this.db.prepare(`SELECT uid, hotkey, score, verified, failed FROM scores ORDER BY uid`).all() as ScoreRow[];
  }

  score(uid: number): ScoreRow | undefined {
    return this.db.prepare(`SELECT uid, hotkey, score, verified, failed FROM scores WHERE uid = ?`).get(uid) as ScoreRow | undefined;
  }

  /** Store a uid's new score; a different hotkey at the uid (re-registration) starts from the given score. */
  putScore(uid: number, hotkey: string, score: number, outcome: 'verified' | 'failed' | 'reset'): void {
    const v = outcome === 'verified' ? 1 : 0;
    const f = outcome === 'failed' ? 1 : 0;
    this.db
      .prepare(`INSERT INTO scores (uid, hotkey, score, verified, failed, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(uid) DO UPDATE SET
          verified = CASE WHEN scores.hotkey = excluded.hotkey THEN scores.verified + excluded.verified ELSE excluded.verified END,
          failed = CASE WHEN scores.hotkey = excluded.hotkey THEN scores.failed + excluded.failed ELSE excluded.failed END,
          hotkey = excluded.hotkey, score = excluded.score, updated_at = excluded.updated_at`)
      .run(uid, hotkey, score, v, f, Date.now());
  }

  deleteScore(uid: number): void {
    this.db.prepare(`DELETE FROM scores WHERE uid = ?`).run(uid);
  }

  addRtSample(circuitId: string, rt: number): void {
    this.db.prepare(`INSERT INTO rt_samples (circuit_id, rt) VALUES (?, ?)`).run(circuitId, rt);
    this.db
      .prepare(`DELETE FROM rt_samples WHERE circuit_id = ? AND id <= (SELECT id FROM rt_samples WHERE circuit_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`)
      .run(circuitId, circuitId, RT_WINDOW);
  }

  rtSamples(circuitId: string): number[] {
    return (this.db.prepare(`SELECT rt FROM rt_samples WHERE circuit_id = ? ORDER BY id DESC LIMIT ?`).all(circuitId, RT_WINDOW) as Array<{ rt: number }>).map((r) => r.rt);
  }

  logRequest(e: RequestLogEntry): void {
    const { lastInsertRowid } = this.db
      .prepare(`INSERT INTO requests (at, uid, hotkey, circuit_id, source, status, verified, rt, proof_size, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(e.at, e.uid, e.hotkey, e.circuitId, e.source, e.status, e.verified ? 1 : 0, e.rtS, e.proofSize, e.error ?? null);
    // a validator queries for ever: the log drops requests older than REQUEST_LOG_KEEP_MS, a bounded batch of the
    // oldest rows (by the primary key) each PRUNE_EVERY requests, ten times the rate rows arrive
    if (Number(lastInsertRowid) % PRUNE_EVERY === 0) {
      this.db
        .prepare(`DELETE FROM requests WHERE id IN (SELECT id FROM requests ORDER BY id LIMIT ?) AND at < ?`)
        .run(PRUNE_EVERY * 10, e.at - REQUEST_LOG_KEEP_MS);
    }
  }

  /** Recent requests, newest first. */
  recentRequests(limit = 100): RequestLogEntry[] {
    const rows = this.db.prepare(`SELECT * FROM requests ORDER BY id DESC LIMIT ?`).all(limit) as Array<{
      at: number; uid: number; hotkey: string; circuit_id: string; source: RequestLogEntry['source']; status: number; verified: number; rt: number; proof_size: number; error: string | null;
    }>;
    return rows.map((r) => ({
      at: r.at, uid: r.uid, hotkey: r.hotkey, circuitId: r.circuit_id, source: r.source, status: r.status, verified: r.verified === 1, rtS: r.rt, proofSize: r.proof_size,
      ...(r.error ? { error: r.error } : {}),
    }));
  }

  /** Successful response times (s) of the last `limit` verified requests of a uid. */
  uidLatencies(uid: number, limit = 200): number[] {
    return (this.db.prepare(`SELECT rt FROM requests WHERE uid = ? AND verified = 1 ORDER BY id DESC LIMIT ?`).all(uid, limit) as Array<{ rt: number }>).map((r) => r.rt);
  }

  close(): void {
    this.db.close();
  }
}
