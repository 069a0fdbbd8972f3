import type { Command } from 'commander';
import { resolveCircuitDir } from '../circuit-ref.js';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { defaultStatePath } from '../paths.js';
import type { ZooModel } from '../models/zoo/types.js';
import { addNeuronOptions, collect, openNeuron, parseIntFlag, type NeuronFlags } from './neuron-common.js';
import { untilShutdown } from '../lifecycle/signals.js';
import { addApiOptions, startApiFromFlags, type ApiFlags } from '../api/cli-options.js';

/** A zoo model's seeded generator when the circuit was compiled from one (metadata name = zoo name). */
function zooGenerator(getZooModel: (name: string) => ZooModel, name: string, inputName: string): ((rand: () => number) => Record<string, number[]>) | undefined {
  try {
    const zoo = getZooModel(name);
    return (rand) => ({ [inputName]: zoo.sampleInput(Math.floor(rand() * 2 ** 31)) });
  } catch {
    return undefined;
  }
}

/** `zkinfer validator` — query miners, verify, score, set weights. */
export function registerValidator(program: Command): void {
  addApiOptions(addNeuronOptions(program.command('validator').description('run a validator: query miners, verify proofs against its own inputs, score, set weights'))
    .requiredOption('--circuit <dir[:weight[:timeout_s]]>', 'artifacts directory to benchmark (repeatable)', collect, [])
    .option('--db <file>', 'SQLite state (scores, request log, external requests, dashboard history); default <state dir>/validator/<hotkey ss58>.sqlite')
    .option('--concurrency <n>', 'queries in flight', '4')
    .option('--allow-insecure-dev', 'accept INSECURE-DEV circuits (known-secret keys: proofs can be forged; development networks only)'))
    .action(async (f: NeuronFlags & ApiFlags & { circuit: string[]; db?: string; concurrency: string; allowInsecureDev?: boolean }) => {
      const [{ getZooModel }, { loadValidatorCircuit }, { Validator }, { readMetadata }] = await Promise.all([
        import('../models/zoo.js'), import('../validator/circuits.js'), import('../validator/validator.js'), import('../zkml/artifacts/index.js'),
      ]);
      const { wallet, chain, netuid } = await openNeuron(f);
      const circuits = [];
      for (const spec of f.circuit) {
        const m = /^(.*?)(?::([\d.]+))?(?::(\d+))?$/.exec(spec)!;
        const dir = resolveCircuitDir(m[1]!);
        const meta = await readMetadata(dir);
        const generate = zooGenerator(getZooModel, meta.name, meta.inputs[0]!.name);
        const c = await loadValidatorCircuit(dir, {
          weight: m[2] ? Number(m[2]) : 1,
          timeoutS: m[3] ? parseIntFlag(m[3], 'timeout', 1, 300) : 60,
          ...(generate ? { generate } : {}),
          allowInsecureDev: f.allowInsecureDev === true,
        });
        circuits.push(c);
        const insecure = meta.security === 'INSECURE-DEV' ? ' — INSECURE-DEV (allowed by --allow-insecure-dev: proofs can be forged)' : '';
        console.log(`benchmarking ${meta.name} ${c.id} (weight ${c.weight}, timeout ${c.timeoutS}s, ${generate ? 'zoo' : 'uniform random'} inputs, security ${meta.security})${insecure}`);
      }
      const hotkey = wallet.hotkeyPair();
      const db = f.db ?? defaultStatePath(['validator', `${hotkey.address}.sqlite`], join(homedir(), '.zkinfer', 'validator.sqlite'));
      const validator = new Validator({
        hotkey, chain, netuid, dbPath: db, circuits,
        concurrency: parseIntFlag(f.concurrency, '--concurrency', 1, 256), log: (l) => console.error(l),
      });
      validator.on('result', (r) => console.log(`uid ${r.uid} ${r.verified ? 'verified' : `failed (${r.error ?? r.status})`} ${(r.rtS * 1000).toFixed(0)} ms score ${r.score.toFixed(5)}`));
      validator.on('weights', (w) => console.log(`set weights at block ${w.block}: ${w.uids.map((u, i) => `${u}:${w.weights[i]}`).join(' ')}`));
      await validator.start();
      console.log(`validator ${validator.hotkey} on netuid ${netuid}, state in ${db} (Ctrl-C to stop)`);
      const api = await startApiFromFlags(f, { validator, circuits, chain, netuid });
      await untilShutdown();
      await api?.close();
      await validator.stop();
      validator.close();
      await chain.close();
    });
}
