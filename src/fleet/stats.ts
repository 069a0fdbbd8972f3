import { quantile } from '../api/validator-view.js';

/** Job counters and a rolling window of durations (the last `window` jobs), for p50/p95. */
export class JobStats {
  jobs = 0;
  failures = 0;
  private readonly ms: number[] = [];
  constructor(private readonly window = 512) {}

  ok(durationMs: number): void {
    this.jobs++;
    this.ms.push(durationMs);
    if (this.ms.length > this.window) this.ms.shift();
  }

  fail(): void {
    this.failures++;
  }

  p(q: number): number | null {
    const v = quantile(this.ms, q);
    return v === undefined ? null : Math.round(v * 10) / 10;
  }
}
