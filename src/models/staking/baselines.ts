import { SEQ_LEN, type StakingPosition } from './schema.js';

/** Day number (UTC) of an ISO date. */
function dayOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
}

/**
 * "Last-known duration" baseline: predict, for a position of token T, the realised duration of the most
 * recently *closed* position of T as of the prediction time (end of observed day SEQ_LEN−1) — what an
 * analyst watching exits of that token would guess. `history` is every position the analyst could see
 * (train and test); positions closing later than the prediction time are ignored. Falls back to `fallback`
 * when no position of T has closed yet.
 */
export function lastKnownDuration(targets: readonly StakingPosition[], history: readonly StakingPosition[], fallback: number): number[] {
  // Closed positions per token, sorted by close day.
  const closes = new Map<string, Array<{ close: number; duration: number }>>();
  for (const p of history) {
    const list = closes.get(p.token) ?? [];
    list.push({ close: dayOf(p.start_date) + p.duration_days, duration: p.duration_days });
    closes.set(p.token, list);
  }
  for (const list of closes.values()) list.sort((a, b) => a.close - b.close);
  return targets.map((p) => {
    const now = dayOf(p.start_date) + SEQ_LEN - 1;
    const list = closes.get(p.token) ?? [];
    // binary search: last close ≤ now
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.close <= now) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? fallback : list[lo - 1]!.duration;
  });
}
