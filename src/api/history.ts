import type { NetworkOverview, NetworkView } from './service.js';

export interface HistoryPoint {
  at: number;
  block: number;
  verified: number;
  failed: number;
  incentive: Record<string, number>;
  score: Record<string, number>;
}

/** Samples the network overview every `intervalS` and keeps the last `max` points for the dashboard's charts. */
export class NetworkHistory {
  private readonly points: HistoryPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last: NetworkOverview | undefined;
  constructor(
    private readonly view: NetworkView,
    private readonly intervalS: number,
    private readonly max = 720,
  ) {}

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
      const prev = this.points[this.points.length - 1];
      const point: HistoryPoint = {
        at: Date.now(),
        block: o.block,
        verified: o.verified,
        failed: o.failed,
        incentive: Object.fromEntries(o.miners.map((m) => [String(m.uid), m.incentive])),
        score: Object.fromEntries(o.miners.map((m) => [String(m.uid), m.score])),
      };
      if (prev && prev.block === point.block && prev.verified === point.verified && prev.failed === point.failed) this.points[this.points.length - 1] = point;
      else this.points.push(point);
      if (this.points.length > this.max) this.points.shift();
      return o;
    } catch {
      return this.last; // the chain may be briefly unreachable; keep the last good sample
    }
  }

  list(): HistoryPoint[] {
    return this.points;
  }
}
