import type { Metagraph } from '../chain/types.js';
import type { RequestLogEntry, ScoreRow } from '../validator/store.js';
import type { MinerView, NetworkOverview, NetworkView } from './service.js';

/** What the dashboard reads from a running validator (src/validator/validator.ts satisfies it). */
export interface ValidatorState {
  readonly hotkey: string;
  readonly store: {
    scores(): ScoreRow[];
    recentRequests(limit?: number): RequestLogEntry[];
    uidLatencies(uid: number, limit?: number): number[];
  };
  readonly metagraph: { get(): Promise<Metagraph> };
  /** Last weights set, u16 by uid. */
  lastWeights(): Map<number, number>;
}

/** Quantile of a sample (linear interpolation); undefined when empty. */
export function quantile(xs: number[], q: number): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

const ms = (s: number | undefined): number | undefined => (s === undefined ? undefined : Math.round(s * 1000 * 10) / 10);

/**
 * The network overview of a validator: every uid with a served axon except the validator itself, with the
 * validator's score, verified/failed counts and latency percentiles (its SQLite store), the weight it last
 * set (normalised) and the chain's incentive (metagraph).
 */
export function validatorNetworkView(v: ValidatorState): NetworkView {
  return {
    async overview(): Promise<NetworkOverview> {
      const m = await v.metagraph.get();
      const scores = new Map(v.store.scores().map((r) => [r.uid, r]));
      const weights = v.lastWeights();
      const wSum = [...weights.values()].reduce((a, b) => a + b, 0);
      const miners: MinerView[] = [];
      for (let uid = 0; uid < m.n; uid++) {
        const hotkey = m.hotkeys[uid]!;
        if (hotkey === v.hotkey || !((m.axons[uid]?.port ?? 0) > 0 || scores.has(uid))) continue;
        const s = scores.get(uid);
        const same = s?.hotkey === hotkey;
        const lat = same ? v.store.uidLatencies(uid) : [];
        const p50 = ms(quantile(lat, 0.5));
        const p95 = ms(quantile(lat, 0.95));
        miners.push({
          uid,
          hotkey,
          score: same ? s!.score : 0,
          weight: wSum > 0 ? (weights.get(uid) ?? 0) / wSum : 0,
          incentive: m.incentive[uid] ?? 0,
          verified: same ? s!.verified : 0,
          failed: same ? s!.failed : 0,
          ...(p50 !== undefined ? { latencyP50Ms: p50 } : {}),
          ...(p95 !== undefined ? { latencyP95Ms: p95 } : {}),
        });
      }
      const recent = v.store.recentRequests(1000).filter((r) => r.verified).map((r) => r.rtS);
      const p50 = ms(quantile(recent, 0.5));
      const p95 = ms(quantile(recent, 0.95));
      return {
        netuid: m.netuid,
        block: m.block,
        miners,
        verified: miners.reduce((a, x) => a + x.verified, 0),
        failed: miners.reduce((a, x) => a + x.failed, 0),
        ...(p50 !== undefined ? { latencyP50Ms: p50 } : {}),
        ...(p95 !== undefined ? { latencyP95Ms: p95 } : {}),
      };
    },
  };
}
