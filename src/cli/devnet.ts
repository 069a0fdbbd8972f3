/**
 * `zkinfer devnet …` — run the embedded devnet node and act on it:
 *   node       serve a devnet over JSON-RPC (HTTP + WebSocket)
 *   faucet     credit dev TAO to a coldkey
 * Reads and writes that work on any chain (metagraph, register, stake, serve, weights, hyperparameters)
 * are the `zkinfer chain …` group (src/cli/chain.ts); they stay reachable here, hidden, for older scripts.
 *
 * Other engineers attach more subcommands to the same group (e.g. the network's `devnet up`) from their
 * own file with `devnetCommand(program).command('up')…` — it returns this group's Command, creating it
 * if their file registers first.
 */
import type { Command } from 'commander';
import type { Devnet } from '../chain/devnet/devnet.js';
import { DEFAULT_DEVNET_PORT } from '../chain/rpc/defaults.js';
import { raoToTao } from '../chain/types.js';
import { UnsupportedOnChainError } from '../chain/errors.js';
import { lockDataDir } from '../lifecycle/lock.js';
import { defaultStatePath } from '../paths.js';
import { handleSignals } from '../lifecycle/signals.js';
import { addNetworkOptions, networkOf } from './bt-flags.js';
import { coldkeyAddress, ss58Flag, withKeys } from './key-flags.js';
import { addChainCommands, parseTao, withChain, type ChainCmdFlags } from './chain.js';
import { parseIntFlag } from './flag-values.js';

/** The `devnet` command group (created on first call). */
export function devnetCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'devnet')
    ?? program.command('devnet').description('embedded Bittensor-like devnet: node, up, faucet (reads/writes: `zkinfer chain …`)');
}

/** Register the `devnet` group's node and faucet subcommands (plus the chain commands, hidden). */
export function registerDevnet(program: Command): void {
  const devnet = devnetCommand(program);

  devnet.command('node')
    .description('run a devnet node serving JSON-RPC over HTTP + WebSocket (state in <data>/devnet.sqlite)')
    .option('--data <dir>', 'state folder (default <state dir>/devnet, i.e. ~/.local/state/zkinfer/devnet)')
    .option('--fast', '250 ms blocks, tempo 10 and scaled-down rate limits (fixed at genesis)')
    .option('--port <n>', `port (default ${DEFAULT_DEVNET_PORT}, 0 = any free)`, String(DEFAULT_DEVNET_PORT))
    .option('--host <ip>', 'listen address (default 127.0.0.1)', '127.0.0.1')
    .option('--block-time <ms>', 'override the block time in ms')
    .action(async (f: { data?: string; fast?: boolean; port: string; host: string; blockTime?: string }) => {
      const data = f.data ?? defaultStatePath(['devnet'], '.zkinfer/devnet');
      const opts: Parameters<typeof Devnet.open>[0] = { dataDir: data, fast: f.fast === true };
      if (f.blockTime) opts.blockTimeMs = parseIntFlag(f.blockTime, '--block-time', 10, 600_000);
      const port = parseIntFlag(f.port, '--port', 0, 65535);
      const [{ Devnet }, { serveDevnet }] = await Promise.all([import('../chain/devnet/devnet.js'), import('../chain/rpc/server.js')]);
      // a signal from here on exits through the exit handlers, which release the lock (docs/network.md, "Stopping")
      const shutdown = handleSignals();
      const lock = lockDataDir(data, 'devnet node');
      const dev = await Devnet.open(opts).catch((err: unknown) => { lock.release(); throw err; });
      const server = await serveDevnet(dev, { host: f.host, port, onError: (e) => console.error('devnet rpc internal error:', e) })
        .catch(async (err: unknown) => { await dev.close(); lock.release(); throw err; });
      const hp = await dev.hyperparameters(1);
      // handlers in place before the ready line, so a stop sent as soon as it is read is a clean one
      const stopped = shutdown.ready();
      if (f.fast === true && !dev.fastGenesis) {
        console.log(`note: ${data} was created without --fast: blocks are fast now but subnet hyperparameters (tempo ${hp.tempo}) stay as created`);
      }
      console.log(`devnet node on ${server.url} (ws ${server.wsUrl}) — genesis ${dev.genesis}, block ${dev.block}, ` +
        `${dev.blockTimeMs} ms blocks, subnet 1 tempo ${hp.tempo}, data ${data}`);
      dev.onBlock((b) => {
        if (dev.lastEpochBlock(1) === b) console.log(`block ${b}: epoch (Yuma consensus) on subnet 1`);
      });
      dev.start();
      await stopped;
      await server.close();
      await dev.close();
      lock.release();
      console.log('devnet node stopped; state saved');
    });

  withKeys(addNetworkOptions(devnet.command('faucet')))
    .description('credit dev TAO to a coldkey (--address, --coldkey-uri, or the wallet coldkeypub); devnet only')
    .option('--address <ss58>', 'coldkey address to fund')
    .option('--amount <tao>', 'TAO to credit', '100')
    .action(async (f: ChainCmdFlags & { address?: string; amount: string }) => {
      // a subtensor network has no faucet: say so before connecting to it (docs/chain.md "Flag values")
      if (networkOf(f).kind !== 'devnet') throw new UnsupportedOnChainError('the faucet exists only on the devnet', { hint: 'on testnet ask for test TAO (see docs/chain.md "Run on testnet")' });
      const address = f.address !== undefined ? await ss58Flag(f.address, '--address') : await coldkeyAddress(f);
      const amount = parseTao(f.amount, '--amount');
      const { RpcChain } = await import('../chain/rpc/client.js');
      await withChain(f, async (chain) => {
        if (!(chain instanceof RpcChain)) throw new UnsupportedOnChainError('the faucet exists only on the devnet');
        await chain.faucet(address, amount);
        console.log(`${address} balance: ${raoToTao(await chain.balance(address))} τ`);
      });
    });

  // register / stake / weights / metagraph / serve / hyperparameters: the `chain` group's, kept here for older scripts.
  addChainCommands(devnet, { hidden: true });
}
