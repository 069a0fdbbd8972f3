import type { Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { collect } from './neuron-common.js';
import { parseIntFlag } from './flag-values.js';
import { handleSignals } from '../lifecycle/signals.js';

/** `zkinfer prover-worker` — one machine of a miner's proving fleet (docs/scale-out.md). */
export function registerProverWorker(program: Command): void {
  program
    .command('prover-worker')
    .description("prove jobs from a miner's Redis queue (a proving fleet: one Redis, one axon, N workers)")
    .requiredOption('--queue <url>', 'Redis URL of the miner (redis://HOST:6379/0, rediss:// for TLS, redis://:PASSWORD@HOST… for AUTH)')
    .requiredOption('--circuit <dir[:concurrency]>', 'artifacts directory to prove for (repeatable), with proofs at once (default 1)', collect, [])
    .option('--prover <kind>', 'snarkjs | native | auto', 'auto')
    .option('--lock-ms <ms>', 'job lock: a worker that dies mid-proof has its job retried elsewhere after about 1.5× this', '10000')
    .action(async (f: { queue: string; circuit: string[]; prover: string; lockMs: string }) => {
      if (!['snarkjs', 'native', 'auto'].includes(f.prover)) throw new InvalidInputError('--prover must be snarkjs, native or auto');
      const circuits = f.circuit.map((spec) => {
        const m = /^(.*?)(?::(\d+))?$/.exec(spec)!;
        return { dir: m[1]!, concurrency: m[2] ? parseIntFlag(m[2], 'concurrency', 1, 64) : 1 };
      });
      const { ProverWorker } = await import('../fleet/worker.js');
      const worker = new ProverWorker({
        url: f.queue, circuits, prover: f.prover as 'snarkjs' | 'native' | 'auto',
        lockMs: parseIntFlag(f.lockMs, '--lock-ms', 500, 600_000), log: (l) => console.error(l),
      });
      const shutdown = handleSignals(); // a signal during the start-up exits at once (docs/network.md, "Stopping")
      await worker.start();
      const stopped = shutdown.ready();
      console.log(`prover-worker ${worker.id} ready (Ctrl-C to stop)`);
      await stopped;
      await worker.close();
      const s = Object.values(worker.stats());
      console.log(`stopped: ${s.reduce((n, b) => n + b.jobs, 0)} proofs, ${s.reduce((n, b) => n + b.failures, 0)} failed`);
    });
}
