/** A minimal Prometheus text-format registry: labelled counters, gauges and histograms. */
type Labels = Record<string, string | number>;

const key = (l: Labels): string =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}="${String(l[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join('\n');
  }
}

export class Counter extends Metric {
  readonly type = 'counter';
  private readonly values = new Map<string, number>();
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${v}`);
  }
}

export class Gauge extends Metric {
  readonly type = 'gauge';
  private readonly values = new Map<string, () => number>();
  /** Report `fn()` at scrape time. */
  track(fn: () => number, labels: Labels = {}): void {
    this.values.set(key(labels), fn);
  }
  lines(): string[] {
    return [...this.values].map(([k, fn]) => `${this.name}${k ? `{${k}}` : ''} ${fn()}`);
  }
}

export class Histogram extends Metric {
  readonly type = 'histogram';
  private readonly series = new Map<string, { counts: number[]; sum: number; n: number }>();
  constructor(name: string, help: string, private readonly buckets: number[]) {
    super(name, help);
  }
  observe(value: number, labels: Labels = {}): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, n: 0 }));
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]! += 1;
    });
    s.sum += value;
    s.n += 1;
  }
  lines(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.series) {
      const pre = k ? `${k},` : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${pre}le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${pre}le="+Inf"} ${s.n}`);
      out.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`);
      out.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.n}`);
    }
    return out;
  }
}

/** The API's metrics. */
export class ApiMetrics {
  readonly requests = new Counter('zkinfer_api_requests_total', 'HTTP requests by route and status code');
  readonly submissions = new Counter('zkinfer_api_submissions_total', 'Inference submissions by outcome (accepted, rejected_<status>)');
  readonly completed = new Counter('zkinfer_api_inferences_completed_total', 'Inferences that reached a final status, by status and source');
  readonly latency = new Histogram('zkinfer_api_inference_seconds', 'Submit-to-final-status latency of inferences', [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120]);
  readonly gauges = new Gauge('zkinfer_api_open_streams', 'Open SSE and WebSocket connections');
  /** Open SSE + WebSocket connections. */
  streams = 0;
  constructor() {
    this.gauges.track(() => this.streams);
  }
  private readonly all: Metric[] = [this.requests, this.submissions, this.completed, this.latency, this.gauges];
  render(): string {
    return `${this.all.map((m) => m.render()).join('\n')}\n`;
  }
}
