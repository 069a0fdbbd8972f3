import type { NetworkOverview, NetworkView } from './service.js';
import type { HistoryStore } from './history-store.js';

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
  private readonly points: HistoryPoint[];
  /** Each point's JSON bytes, made once: GET /v1/network sends them as they are (no serialization, no copy per request). */
  private readonly texts: Buffer[];
  private timer: NodeJS.Timeout | undefined;
  private last: NetworkOverview | undefined;
  /** Counts samples taken: what GET /v1/network caches its serialized answer against. */
  version = 0;
  constructor(
    private readonly view: NetworkView,
    private readonly intervalS: number,
    private readonly max = 720,
    private readonly store?: HistoryStore,
  ) {
    this.points = store?.load(max) ?? [];
    this.texts = this.points.map((p) => Buffer.from(JSON.stringify(p)));
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
      const prev = this.points[this.points.length - 1];
      const point: HistoryPoint = {
        at: Date.now(),
        block: o.block,
        verified: o.verified,
        failed: o.failed,
        incentive: Object.fromEntries(o.miners.map((m) => [String(m.uid), m.incentive])),
        score: Object.fromEntries(o.miners.map((m) => [String(m.uid), m.score])),
      };
      const same = prev !== undefined && prev.block === point.block && prev.verified === point.verified && prev.failed === point.failed;
      const text = Buffer.from(JSON.stringify(point));
      if (same) {
        this.points[this.points.length - 1] = point;
        this.texts[this.texts.length - 1] = text;
      } else {
        this.points.push(point);
        this.texts.push(text);
      }
      if (this.points.length > this.max) {
        this.points.shift();
        this.texts.shift();
      }
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
    return this.points;
  }

  /** The JSON array of the points taken after `since` (unix ms), as chunks: each point's bytes made when it was taken. */
  jsonSince(since: number): Buffer[] {
    let i = this.points.length;
    while (i > 0 && this.points[i - 1]!.at > since) i--;
    const chunks = [OPEN];
    for (let k = i; k < this.texts.length; k++) {
      if (k > i) chunks.push(COMMA);
      chunks.push(this.texts[k]!);
    }
    chunks.push(CLOSE);
    return chunks;
  }
}

const [OPEN, COMMA, CLOSE] = ['[', ',', ']'].map((c) => Buffer.from(c)) as [Buffer, Buffer, Buffer];
