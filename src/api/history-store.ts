// Where the dashboard's history goes (docs/api.md, "Dashboard"): the validator's SQLite store, so a restarted
// validator's API shows the charts from before the restart.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { HistoryPoint } from './history.js';

/** Persistence of NetworkHistory's samples. */
export interface HistoryStore {
  /** The last `max` points, oldest first. */
  load(max: number): HistoryPoint[];
  /** Append a point, or overwrite the newest one (`replaceLast`); keep at most `max`. */
  save(point: HistoryPoint, replaceLast: boolean, max: number): void;
}

interface Row { at: number; block: number; verified: number; failed: number; incentive: string; score: string }

const ByUidSchema = z.record(z.string(), z.number());

/** A stored uid → value map, or undefined when the text is not one. */
function byUid(text: string): Record<string, number> | undefined {
  try {
    const r = ByUidSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** A HistoryStore in a table `dashboard_history` of the given database (the validator's store). */
export function sqliteHistoryStore(db: Database.Database): HistoryStore {
  db.exec(`CREATE TABLE IF NOT EXISTS dashboard_history (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
    block INTEGER NOT NULL, verified INTEGER NOT NULL, failed INTEGER NOT NULL, incentive TEXT NOT NULL, score TEXT NOT NULL)`);
  const select = db.prepare(`SELECT at, block, verified, failed, incentive, score FROM dashboard_history ORDER BY id DESC LIMIT ?`);
  const insert = db.prepare(`INSERT INTO dashboard_history (at, block, verified, failed, incentive, score) VALUES (?, ?, ?, ?, ?, ?)`);
  const update = db.prepare(`UPDATE dashboard_history SET at = ?, block = ?, verified = ?, failed = ?, incentive = ?, score = ?
    WHERE id = (SELECT MAX(id) FROM dashboard_history)`);
  const trim = db.prepare(`DELETE FROM dashboard_history WHERE id <= (SELECT id FROM dashboard_history ORDER BY id DESC LIMIT 1 OFFSET ?)`);
  return {
    load(max) {
      // A damaged row (its maps not JSON of uid → number) is left out: it would stop the validator's start, or
      // the dashboard's charts (docs/api.md, "Dashboard").
      return (select.all(max) as Row[]).reverse().flatMap((r) => {
        const incentive = byUid(r.incentive);
        const score = byUid(r.score);
        return incentive && score ? [{ at: r.at, block: r.block, verified: r.verified, failed: r.failed, incentive, score }] : [];
      });
    },
    save(p, replaceLast, max) {
      const args = [p.at, p.block, p.verified, p.failed, JSON.stringify(p.incentive), JSON.stringify(p.score)];
      if (!replaceLast || update.run(...args).changes === 0) insert.run(...args);
      trim.run(max);
    },
  };
}
