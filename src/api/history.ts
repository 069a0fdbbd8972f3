import type { NetworkOverview, NetworkView } from './service.js';
import type { HistoryStore } from './history-store.js';
import { jsonArrayChunks } from './json-chunks.js';
import { NETWORK_POINTS_MAX } from './wire.js';

export interface HistoryPoint {
  at: number;
  block: number;
  verified: number;
  failed: number;
  incentive: Record<string, number>;
  score: Record<string, number>;
}

/**
 * Samples the network overview every `intervalS` and keeps the last `max` points for the dashboard's charts;
 * with a `store` the points outlive a restart (history-store.ts).
 */
export class NetworkHistory {
  /** The points, each with its JSON bytes made once: GET /v1/network writes them as they are (json-chunks.ts). */
  private readonly points: Array<{ point: HistoryPoint; json: Buffer }>;
  private timer: NodeJS.Timeout | undefined;
  private last: NetworkOverview | undefined;
  /** Counts samples taken: what GET /v1/network caches its serialized answer against. */
  version = 0;
  constructor(
    private readonly view: NetworkView,
    private readonly intervalS: number,
    private readonly max = NETWORK_POINTS_MAX,
    private readonly store?: HistoryStore,
  ) {
    this.points = (store?.load(max) ?? []).map(withJson);
  }

  start(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalS * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Take a sample now; returns the overview (also recorded). */
  async sample(): Promise<NetworkOverview | undefined> {
    try {
      const o = await this.view.overview();
      this.last = o;
      this.version += 1;
      const prev = this.points[this.points.length - 1]?.point;
      const point: HistoryPoint = {
        at: Date.now(),
        block: o.block,
        verified: o.verified,
        failed: o.failed,
        incentive: Object.fromEntries(o.miners.map((m) => [String(m.uid), m.incentive])),
        score: Object.fromEntries(o.miners.map((m) => [String(m.uid), m.score])),
      };
      const same = prev !== undefined && prev.block === point.block && prev.verified === point.verified && prev.failed === point.failed;
      if (same) this.points[this.points.length - 1] = withJson(point);
      else this.points.push(withJson(point));
      if (this.points.length > this.max) this.points.shift();
      this.store?.save(point, same, this.max);
      return o;
    } catch {
      return this.last; // the chain may be briefly unreachable; keep the last good sample
    }
  }

  /**
   * The newest sample (at most `intervalS` old), or one taken now when there is none yet. GET /v1/network reads
   * this: were every request to take a sample, any reader could fill the history (720 points, kept on disk) with
   * points of its own pace and push the real ones out (docs/api.md, "Dashboard").
   */
  async current(): Promise<NetworkOverview | undefined> {
    return this.last ?? this.sample();
  }

  list(): HistoryPoint[] {
    return this.points.map((p) => p.point);
  }

  /**
   * The JSON array of the points taken after `since` (unix ms), as chunks: each point's bytes made when it was taken.
   * With `points`, at most that many of them, evenly spaced, the oldest and the newest included (a chart's first load).
   */
  jsonSince(since: number, points = Infinity): Buffer[] {
    let i = this.points.length;
    while (i > 0 && this.points[i - 1]!.point.at > since) i--;
    return jsonArrayChunks(spread(this.points.slice(i), points).map((p) => p.json));
  }
}

/** At most `n` (≥ 2) of `xs`, evenly spaced, the first and the last included. */
function spread<T>(xs: readonly T[], n: number): readonly T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, k) => xs[Math.round((k * (xs.length - 1)) / (n - 1))]!);
}

const withJson = (point: HistoryPoint): { point: HistoryPoint; json: Buffer } => ({ point, json: Buffer.from(JSON.stringify(point)) });
