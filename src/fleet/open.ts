import type { CircuitStore } from '../miner/circuit-store.js';
import type { ProofBackend } from '../miner/miner.js';
import { FleetBackend } from './backend.js';
import { renderFleetMetrics, serveMetrics } from './metrics.js';

/** A started FleetBackend for `zkinfer miner --queue`, with its Prometheus endpoint when asked for. */
export async function openFleet(o: { url: string; circuits: CircuitStore; host: string; metricsPort?: number; log: (l: string) => void }): Promise<ProofBackend> {
  const fleet = new FleetBackend({ url: o.url, circuits: o.circuits, log: o.log });
  await fleet.start();
  let metrics: { close(): Promise<void> } | undefined;
  if (o.metricsPort !== undefined) {
    const m = await serveMetrics(o.host, o.metricsPort, () => renderFleetMetrics(fleet)).catch(async (err: unknown) => { await fleet.close(); throw err; });
    metrics = m;
    o.log(`miner: fleet metrics on http://${o.host}:${m.port}/metrics`);
  }
  return {
    prove: (c, w, s) => fleet.prove(c, w, s),
    unavailable: (c) => fleet.unavailable(c),
    close: async () => {
      for (const line of fleet.report()) o.log(line);
      await Promise.all([metrics?.close(), fleet.close()]);
    },
  };
}
