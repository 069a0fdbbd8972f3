import type { Command } from 'commander';
import { resolve } from 'node:path';
import { InvalidInputError } from '../errors/base.js';
import { devnetCommand } from './devnet.js';
import { parseIntFlag } from './flag-values.js';
import { addApiOptions, apiConfigFromFlags, startApi, type ApiFlags } from '../api/cli-options.js';
import { lockDataDir } from '../lifecycle/lock.js';
import { defaultStatePath } from '../paths.js';
import { handleSignals } from '../lifecycle/signals.js';

const MODEL = 'staking-lstm';

/** Attach `up` to the `devnet` command group: the one-command local network. */
export function registerDevnetUp(program: Command): void {
  addApiOptions(devnetCommand(program)
    .command('up')
    .description('run a local network: devnet chain, a validator and N miners proving the staking LSTM, with a live table')
    .option('--miners <n>', 'number of miners', '3')
    .option('--fast', '250 ms blocks and tempo 10 (epochs every few seconds)')
    .option('--data <dir>', 'state folder (chain, wallets, validator db; default <state dir>/devnet-up); a rerun continues from it')
    .option('--port <n>', 'first miner port (consecutive after it); 0 = any free port', '0')
    .option('--prover <kind>', 'snarkjs | native | auto', 'auto')
    .option('--rpc-port <n>', 'serve the chain\'s JSON-RPC on 127.0.0.1 at this port for other terminals (0 = any free port)', '9955'))
    .action(async (flags: { miners: string; fast?: boolean; data?: string; port: string; prover: string; rpcPort: string } & ApiFlags) => {
      // parseIntFlag: parseInt read --miners 2.5 as 2 and --port 80abc as 80, Number read --rpc-port "" as 0
      const miners = parseIntFlag(flags.miners, '--miners', 1, 32);
      const basePort = parseIntFlag(flags.port, '--port', 0, 65000);
      if (!['snarkjs', 'native', 'auto'].includes(flags.prover)) throw new InvalidInputError(`--prover must be snarkjs, native or auto`);
      const rpcPort = parseIntFlag(flags.rpcPort, '--rpc-port', 0, 65535);
      const dataDir = resolve(flags.data ?? defaultStatePath(['devnet-up'], '.zkinfer/devnet-up'));
      // A signal during the start-up (compile, chain, wallets, miners, validator) exits at once through the exit
      // handlers, which release the lock (docs/network.md, "Stopping").
      const shutdown = handleSignals({ log: (l) => process.stdout.write(`\n${l}\n`) });
      const lock = lockDataDir(dataDir, 'devnet up');
      const [{ compileZooModel }, { getZooModel }, { devnetUp, DEVNET_NETUID }, { renderTable }, { loadValidatorCircuit }, { progressReporter }] = await Promise.all([
        import('../models/compiled.js'), import('../models/zoo.js'), import('../devnet-up/network.js'), import('../devnet-up/table.js'), import('../validator/circuits.js'),
        import('../zkml/progress.js'),
      ]);

      // the API's flags and --api-config checked before the compile and the network start, not after them
      const apiConfig = await apiConfigFromFlags({ ...flags, apiPort: flags.apiPort ?? '8600', apiOpen: flags.apiOpen ?? flags.apiConfig === undefined }, { permitNetuid: DEVNET_NETUID });
      console.log(`compiling ${MODEL} (cached after the first run)…`);
      // the same compile progress as `zkinfer compile` (docs/zkml-compile.md, "Progress")
      const progress = progressReporter();
      const compiled = await compileZooModel(MODEL, { onProgress: progress }).finally(() => progress.end());
      const meta = compiled.metadata;
      console.log(`circuit ${meta.id.slice(0, 16)}… ${meta.constraints} constraints${compiled.cached ? ' (cached)' : ''}${meta.security === 'INSECURE-DEV' ? '  [INSECURE-DEV keys: local powers of tau]' : ''}`);

      const zoo = getZooModel(MODEL);
      const inputName = meta.inputs[0]!.name;
      const logs: string[] = [];
      const log = (line: string): void => {
        logs.push(`${new Date().toISOString().slice(11, 19)} ${line}`);
        if (logs.length > 6) logs.shift();
      };
      const net = await devnetUp({
        dataDir,
        miners,
        fast: flags.fast === true,
        circuitDir: compiled.dir,
        generate: (rand) => ({ [inputName]: zoo.sampleInput(Math.floor(rand() * 2 ** 31)) }),
        basePort,
        prover: flags.prover as 'snarkjs' | 'native' | 'auto',
        rpcPort,
        log,
      });
      // The validator's API and dashboard (default http://127.0.0.1:8600/, open to unsigned local requests).
      const api = await startApi(apiConfig,
        { validator: net.validator, circuits: [await loadValidatorCircuit(compiled.dir, { allowInsecureDev: true })], chain: net.devnet, netuid: DEVNET_NETUID },
      ).catch(async (err: unknown) => { await net.stop(); throw err; });
      const dashboard = `  dashboard ${api.app.listeningOrigin}/` + (net.rpcUrl ? `  chain ${net.rpcUrl}` : '');
      const tty = process.stdout.isTTY === true;
      let stopping = false;
      let lastPrinted = -1;
      const draw = async (block: number): Promise<void> => {
        if (stopping) return;
        const { rows, metagraph } = await net.rows();
        const tempo = (await net.devnet.hyperparameters(DEVNET_NETUID)).tempo;
        if (!tty && block - lastPrinted < tempo) return;
        lastPrinted = block;
        const header = `zkinfer devnet — block ${block}  netuid ${DEVNET_NETUID}  tempo ${tempo}  neurons ${metagraph.n}  data ${dataDir}${dashboard}   (Ctrl-C to stop)`;
        const text = renderTable(rows, header) + (logs.length ? `\n\n${logs.join('\n')}` : '');
        process.stdout.write(tty ? `\x1b[H\x1b[2J${text}\n` : `${text}\n\n`);
      };
      const unsubscribe = net.devnet.onBlock((b) => { void draw(b).catch((e: Error) => log(`table: ${e.message}`)); });
      await shutdown.ready();
      stopping = true;
      unsubscribe();
      process.stdout.write('waiting for queries in flight…\n');
      await api?.close();
      await net.stop();
      lock.release();
      process.stdout.write(`stopped; state kept in ${dataDir}\n`);
    });
}
