/**
 * Keeping GET /v1/network's history between polls (docs/api.md, "Dashboard"): a full answer once (or one thinned with
 * `points`: the points after it then come in full), then only the points after the second-newest one held. The API
 * replaces its newest point while nothing changes (same block and counts), never an older one, so that point is asked
 * for again and everything older is kept.
 */
import { NETWORK_POINTS_MAX, type NetworkViewWire } from '../api/wire.js';

export type NetworkHistoryPoints = NetworkViewWire['history'];

/** The `since` for the next GET /v1/network, given the history held; undefined: ask for all of it. */
export function historySince(held: NetworkHistoryPoints): number | undefined {
  return held.at(-2)?.at;
}

/** `held` brought up to date with the history of an answer to `since` (historySince(held)); at most `max` points. */
export function mergeHistory(held: NetworkHistoryPoints, answer: NetworkHistoryPoints, since: number | undefined, max = NETWORK_POINTS_MAX): NetworkHistoryPoints {
  if (since === undefined) return answer.slice(-max);
  return [...held.filter((p) => p.at <= since), ...answer].slice(-max);
}
