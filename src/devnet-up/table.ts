import { raoToTao } from '../chain/types.js';
import type { Metagraph } from '../chain/types.js';
import { median } from '../validator/scoring.js';
import type { ValidatorStore } from '../validator/store.js';

export interface TableRow {
  uid: number;
  role: string;
  verified: number;
  failed: number;
  p50Ms: number | undefined;
  score: number;
  weight: number | undefined;
  incentive: number;
  emissionTao: number;
}

/** One row per uid: the validator's view (verified, failed, latency, score, weight) and the chain's (incentive, emission). */
export function tableRows(m: Metagraph, store: ValidatorStore, weights: Map<number, number>, roles: Map<string, string>): TableRow[] {
  const scores = new Map(store.scores().map((r) => [r.uid, r]));
  return m.uids.map((uid) => {
    const s = scores.get(uid);
    const sameKey = s && s.hotkey === m.hotkeys[uid];
    const lat = sameKey ? store.uidLatencies(uid) : [];
    return {
      uid,
      role: roles.get(m.hotkeys[uid]!) ?? (m.validatorPermit[uid] ? 'validator' : 'miner'),
      verified: sameKey ? s.verified : 0,
      failed: sameKey ? s.failed : 0,
      p50Ms: lat.length ? median(lat) * 1000 : undefined,
      score: sameKey ? s.score : 0,
      weight: weights.get(uid),
      incentive: m.incentive[uid] ?? 0,
      emissionTao: raoToTao(m.emission[uid] ?? 0n),
    };
  });
}

/** Fixed-width text table. */
export function renderTable(rows: TableRow[], header: string): string {
  const cols = ['uid', 'role', 'verified', 'failed', 'p50 ms', 'score', 'weight', 'incentive', 'emission τ'];
  const cells = rows.map((r) => [
    String(r.uid), r.role, String(r.verified), String(r.failed), r.p50Ms === undefined ? '-' : r.p50Ms.toFixed(0),
    r.score.toFixed(5), r.weight === undefined ? '-' : String(r.weight), r.incentive.toFixed(4), r.emissionTao.toFixed(4),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (xs: string[]): string => xs.map((x, i) => (i <= 1 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [header, line(cols), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
