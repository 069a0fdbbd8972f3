import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson } from '../zkml/artifacts/canonical.js';

/** Sorted-key JSON (the canonical form used for circuit ids). */
export const sortedJson = canonicalJson;

export function inputsHash(inputs: unknown): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex');
}

/** Refuses inputs whose sorted-JSON sha256 is among the last `capacity` (32,768) seen; persisted in SQLite. */
export class ReplayGuard {
  private seq: number;

  constructor(private readonly db: Database.Database, private readonly capacity = 32_768) {
    db.exec(`CREATE TABLE IF NOT EXISTS replay (hash TEXT PRIMARY KEY, seq INTEGER NOT NULL)`);
    this.seq = (db.prepare(`SELECT COALESCE(MAX(seq), 0) AS s FROM replay`).get() as { s: number }).s;
  }

  /** True (and remembered) if the inputs are fresh; false if they were seen among the last `capacity`. */
  admit(inputs: unknown): boolean {
    const hash = inputsHash(inputs);
    if (this.db.prepare(`SELECT 1 FROM replay WHERE hash = ? AND seq > ?`).get(hash, this.seq - this.capacity)) return false;
    this.seq++;
    this.db.prepare(`INSERT INTO replay (hash, seq) VALUES (?, ?) ON CONFLICT(hash) DO UPDATE SET seq = excluded.seq`).run(hash, this.seq);
    if (this.seq % 256 === 0) this.db.prepare(`DELETE FROM replay WHERE seq <= ?`).run(this.seq - this.capacity);
    return true;
  }

  get size(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM replay WHERE seq > ?`).get(this.seq - this.capacity) as { n: number }).n;
  }
}
