import { Option, type Command } from 'commander';
import { InvalidInputError } from '../errors/base.js';
import { resolveCircuitDir } from '../circuit-ref.js';
import { addNeuronOptions, collect, openNeuron, type NeuronFlags } from './neuron-common.js';
import { parseIntFlag } from './flag-values.js';
import { handleSignals } from '../lifecycle/signals.js';

/** `zkinfer miner` — serve proofs over the Bittensor axon protocol. */
export function registerMiner(program: Command): void {
  addNeuronOptions(program.command('miner').description('run a miner: an axon proving QueryZkProof requests for the circuits it serves'))
    .requiredOption('--circuit <dir[:capacity]>', 'artifacts directory to serve (repeatable), with concurrent proofs', collect, [])
    .option('--port <n>', 'axon port (env BT_AXON_PORT)', process.env['BT_AXON_PORT'] ?? '8091')
    .option('--host <ip>', 'bind this address (and advertise it unless --external-ip)', '127.0.0.1')
    .option('--external-ip <ip>', 'advertise this address on chain (serve_axon) instead of --host (env BT_AXON_EXTERNAL_IP)', process.env['BT_AXON_EXTERNAL_IP'])
    .addOption(new Option('--axon.port <n>', 'alias of --port (Bittensor SDK name)').hideHelp())
    .addOption(new Option('--axon.external_ip <ip>', 'alias of --external-ip (Bittensor SDK name)').hideHelp())
    .option('--min-stake <tao>', 'refuse callers with less stake', '0')
    .option('--workers <n>', 'prover worker threads', '1')
    .option('--prover <kind>', 'snarkjs | native | auto', 'auto')
    .option('--queue <url>', 'prove on a fleet: put jobs on this Redis (redis://HOST:6379/0) for `zkinfer prover-worker`s instead of local threads')
    .option('--metrics-port <n>', 'serve Prometheus metrics of the proving fleet on --host:PORT/metrics (with --queue)')
    .action(async (f: NeuronFlags & { circuit: string[]; port: string; host: string; externalIp?: string; 'axon.port'?: string; 'axon.external_ip'?: string; minStake: string; workers: string; prover: string; queue?: string; metricsPort?: string }) => {
      const externalIp = f['axon.external_ip'] ?? f.externalIp;
      const portFlag = f['axon.port'] ?? f.port;
      if (!['snarkjs', 'native', 'auto'].includes(f.prover)) throw new InvalidInputError('--prover must be snarkjs, native or auto');
      const [{ taoToRao }, { CircuitStore }, { Miner }, { PoolBackend }] = await Promise.all([
        import('../chain/types.js'), import('../miner/circuit-store.js'), import('../miner/miner.js'), import('../miner/pool-backend.js'),
      ]);
      const shutdown = handleSignals(); // a signal during the start-up exits at once (docs/network.md, "Stopping")
      const { wallet, chain, netuid } = await openNeuron(f);
      const circuits = new CircuitStore();
      for (const spec of f.circuit) {
        const m = /^(.*?)(?::(\d+))?$/.exec(spec)!;
        const c = await circuits.add(resolveCircuitDir(m[1]!), { capacity: m[2] ? parseIntFlag(m[2], 'capacity', 1, 64) : 1 });
        console.log(`serving ${c.artifacts.metadata.name} ${c.id} (capacity ${c.capacity}${c.artifacts.metadata.security === 'INSECURE-DEV' ? ', INSECURE-DEV keys' : ''})`);
      }
      const backend = f.queue
        ? await (await import('../fleet/open.js')).openFleet({ url: f.queue, circuits, host: f.host, ...(f.metricsPort ? { metricsPort: parseIntFlag(f.metricsPort, '--metrics-port', 0, 65535) } : {}), log: (l) => console.error(l) })
        : new PoolBackend({ size: parseIntFlag(f.workers, '--workers', 1, 64), prover: f.prover as 'snarkjs' | 'native' | 'auto' });
      const miner = new Miner({
        hotkey: wallet.hotkeyPair(), chain, netuid, circuits, backend, host: f.host, ...(externalIp ? { externalIp } : {}),
        port: parseIntFlag(portFlag, '--port', 1, 65535), minStakeRao: taoToRao(f.minStake),
        log: (l) => console.error(l),
      });
      const port = await miner.start();
      // handlers in place before the ready line, so a stop sent as soon as it is read is a clean one
      const stopped = shutdown.ready();
      console.log(`miner ${miner.hotkey} on ${f.host}:${port}${externalIp ? ` (advertised as ${externalIp})` : ''}, netuid ${netuid} (Ctrl-C to stop)`);
      await stopped;
      await miner.stop();
      await backend.close?.();
      await chain.close();
      console.log(`stopped: ${miner.stats.served} proofs served, ${miner.stats.failed} failed, ${miner.stats.refused} callers refused`);
    });
}
