import { createServer } from 'node:http';
import { Gauge } from '../api/metrics.js';
import type { FleetBackend } from './backend.js';
import { listenError } from '../lifecycle/errors.js';
import { trackConnections } from '../lifecycle/http-drain.js';

/** Prometheus text of a miner's proving fleet: per worker (its own counters) and per circuit. */
export function renderFleetMetrics(fleet: FleetBackend): string {
  const g = (name: string, help: string): Gauge => new Gauge(name, help);
  const jobs = g('zkinfer_fleet_worker_jobs', 'Proofs a worker has produced (its own counter since it started)');
  const failures = g('zkinfer_fleet_worker_failures', 'Proving jobs a worker has failed');
  const p50 = g('zkinfer_fleet_worker_prove_p50_ms', 'Median witness+proof time of a worker (last 512 jobs)');
  const p95 = g('zkinfer_fleet_worker_prove_p95_ms', '95th percentile witness+proof time of a worker (last 512 jobs)');
  const busy = g('zkinfer_fleet_worker_active', 'Jobs a worker is proving now');
  const workers = g('zkinfer_fleet_workers_live', 'Live prover workers serving the circuit');
  const capacity = g('zkinfer_fleet_capacity', 'Concurrent proofs of the circuit (sum of live workers\' concurrency)');
  const overhead = g('zkinfer_fleet_queue_overhead_p50_ms', 'Median miner round trip minus the worker\'s proving time');
  const late = g('zkinfer_fleet_late_results_dropped', 'Results dropped because their request had ended');
  const via = g('zkinfer_fleet_results', 'Results by the path that delivered them first: the miner\'s reply channel or the BullMQ event stream (fallback)');
  for (const [circuit, st] of fleet.fleet()) {
    workers.track(() => st.workers.length, { circuit });
    capacity.track(() => st.capacity, { circuit });
    overhead.track(() => st.overhead.p(0.5) ?? 0, { circuit });
    for (const path of ['reply', 'event'] as const) via.track(() => st.via[path], { circuit, path });
    for (const w of st.workers) {
      const l = { circuit, worker: w.workerId };
      jobs.track(() => w.jobs, l);
      failures.track(() => w.failures, l);
      busy.track(() => w.active, l);
      if (w.p50Ms !== null) p50.track(() => w.p50Ms!, l);
      if (w.p95Ms !== null) p95.track(() => w.p95Ms!, l);
    }
  }
  late.track(() => fleet.lateDropped);
  return `${[jobs, failures, p50, p95, busy, workers, capacity, overhead, via, late].map((m) => m.render()).join('\n')}\n`;
}

/**
 * Serve `GET /metrics` (Prometheus text) on host:port; resolves with the bound port. `close()` stops it the way
 * the other servers stop (docs/network.md, "Stopping"): a scraper's kept-alive or half-sent request cannot hold it up.
 */
export async function serveMetrics(host: string, port: number, render: () => string): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(render());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
    }
  });
  const drain = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, host, port, 'pass another --metrics-port (0 = any free port)')));
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      drain.closeUnfinished();
    }),
  };
}
