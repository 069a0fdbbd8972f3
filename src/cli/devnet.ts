/**
 * `zkinfer devnet …` — run the embedded devnet node and act on it:
 *   node       serve a devnet over JSON-RPC (HTTP + WebSocket)
 *   faucet     credit dev TAO to a coldkey
 *   register   burned_register a hotkey on a subnet
 *   stake      add / remove stake
 *   weights    set weights by hand (what a validator does)
 *   metagraph  print a subnet's metagraph (incentive, dividends, …)
 *
 * Other engineers attach more subcommands to the same group (e.g. the network's `devnet up`) from their
 * own file with `devnetCommand(program).command('up')…` — it returns this group's Command, creating it
 * if their file registers first.
 */
import type { Command } from 'commander';
import type { Keyring } from '@polkadot/keyring';
import { InvalidInputError } from '../errors/base.js';
import type { Devnet } from '../chain/devnet/devnet.js';
import type { RpcChain } from '../chain/rpc/client.js';
import { DEFAULT_DEVNET_PORT, DEFAULT_DEVNET_URL } from '../chain/rpc/defaults.js';
import { raoToTao, taoToRao, type Metagraph, type Signer } from '../chain/types.js';
import { lockDataDir } from '../lifecycle/lock.js';
import { untilShutdown } from '../lifecycle/signals.js';
import { coldkeyPassword } from './prompt.js';

/** The `devnet` command group (created on first call). */
export function devnetCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'devnet')
    ?? program.command('devnet').description('embedded Bittensor-like devnet: node, faucet, register, stake, weights, metagraph');
}

interface KeyFlags {
  chain?: string;
  name?: string;
  hotkey?: string;
  path?: string;
  coldkeyUri?: string;
  hotkeyUri?: string;
  hotkeyAddress?: string;
}

/** The key and wallet modules, loaded on use (heavy for `zkinfer --help`). */
async function keys(): Promise<{ keyring: () => Keyring; resolveWalletRef: typeof import('../protocol/wallet/wallet.js').resolveWalletRef; Wallet: typeof import('../protocol/wallet/wallet.js').Wallet }> {
  const [{ Keyring }, { cryptoWaitReady }, { resolveWalletRef, Wallet }] = await Promise.all([
    import('@polkadot/keyring'), import('@polkadot/util-crypto'), import('../protocol/wallet/wallet.js'),
  ]);
  await cryptoWaitReady();
  return { keyring: () => new Keyring({ type: 'sr25519', ss58Format: 42 }), resolveWalletRef, Wallet };
}

function withChain(c: Command): Command {
  return c.option('--chain <url>', `devnet node URL (env ZKINFER_DEVNET_URL, default ${DEFAULT_DEVNET_URL})`);
}

function withKeys(c: Command): Command {
  return c
    .option('--name <wallet>', 'wallet name (env BT_WALLET_NAME, default "default")')
    .option('--hotkey <hotkey>', 'wallet hotkey name (env BT_WALLET_HOTKEY, default "default")')
    .option('--path <dir>', 'wallets directory (env BT_WALLET_PATH, default ~/.bittensor/wallets)')
    .option('--coldkey-uri <uri>', 'dev coldkey as a keyring URI instead of a wallet, e.g. //Alice')
    .option('--hotkey-uri <uri>', 'dev hotkey as a keyring URI instead of a wallet, e.g. //Alice//miner1')
    .option('--hotkey-address <ss58>', 'hotkey by address (for register / stake: no secret needed)');
}

async function connect(f: KeyFlags): Promise<RpcChain> {
  const { RpcChain } = await import('../chain/rpc/client.js');
  return RpcChain.connect(f.chain ?? process.env.ZKINFER_DEVNET_URL ?? DEFAULT_DEVNET_URL);
}

/**
 * The coldkey signer: --coldkey-uri, else the wallet's coldkey; an encrypted one is unlocked with
 * ZKINFER_COLDKEY_PASSWORD or a password asked on the terminal (without echo).
 */
async function coldkeySigner(f: KeyFlags): Promise<Signer> {
  const { keyring, resolveWalletRef, Wallet } = await keys();
  if (f.coldkeyUri) return keyring().addFromUri(f.coldkeyUri);
  const w = new Wallet(resolveWalletRef({ ...(f.name ? { name: f.name } : {}), ...(f.path ? { path: f.path } : {}) }));
  w.coldkeypub(); // clear error when the wallet has no coldkey
  return w.coldkeyPair(w.coldkeyEncrypted() ? await coldkeyPassword(w.ref.name) : undefined);
}

/** The hotkey signer: --hotkey-uri, else the wallet's hotkey. */
async function hotkeySigner(f: KeyFlags): Promise<Signer> {
  const { keyring, resolveWalletRef, Wallet } = await keys();
  if (f.hotkeyUri) return keyring().addFromUri(f.hotkeyUri);
  const ref: { name?: string; hotkey?: string; path?: string } = {};
  if (f.name) ref.name = f.name;
  if (f.hotkey) ref.hotkey = f.hotkey;
  if (f.path) ref.path = f.path;
  return new Wallet(resolveWalletRef(ref)).hotkeyPair();
}

/** A hotkey address: --hotkey-address, --hotkey-uri, or the wallet's hotkey. */
async function hotkeyAddress(f: KeyFlags): Promise<string> {
  if (f.hotkeyAddress) return f.hotkeyAddress;
  return (await hotkeySigner(f)).address;
}

function parseTao(s: string, what: string): bigint {
  try {
    return taoToRao(s);
  } catch {
    throw new InvalidInputError(`${what} "${s}" is not a TAO amount`, { hint: 'write it like 10 or 0.5' });
  }
}

function parseIntArg(s: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidInputError(`${what} "${s}" must be an integer in ${min}..${max}`);
  return n;
}

function parseList(s: string, what: string, max: number): number[] {
  return s.split(',').filter((x) => x.trim() !== '').map((x) => parseIntArg(x.trim(), what, 0, max));
}

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;

/** The metagraph as an aligned text table. */
export function formatMetagraph(m: Metagraph): string {
  const f4 = (x: number) => x.toFixed(4);
  const tao = (r: bigint) => raoToTao(r).toFixed(4);
  const head = ['UID', 'HOTKEY', 'COLDKEY', 'STAKE(τ)', 'VPERMIT', 'VTRUST', 'TRUST', 'CONSENSUS', 'INCENTIVE', 'DIVIDENDS', 'EMISSION(τ)', 'UPDATED', 'ACTIVE', 'AXON'];
  const rows = m.uids.map((uid, i) => [
    String(uid), short(m.hotkeys[i]!), short(m.coldkeys[i]!), tao(m.stake[i]!), m.validatorPermit[i] ? 'yes' : '-',
    f4(m.validatorTrust[i]!), f4(m.trust[i]!), f4(m.consensus[i]!), f4(m.incentive[i]!), f4(m.dividends[i]!),
    tao(m.emission[i]!), String(m.block - m.lastUpdate[i]!), m.active[i] ? 'yes' : 'no',
    m.axons[i]!.port ? `${m.axons[i]!.ipType === 6 ? `[${m.axons[i]!.ip}]` : m.axons[i]!.ip}:${m.axons[i]!.port}` : '-',
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((c, j) => (j <= 2 || j === 13 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [`subnet ${m.netuid} at block ${m.block}: ${m.n} neurons`, line(head), ...rows.map(line)].join('\n');
}

/** Register the `devnet` group's node/faucet/register/stake/weights/metagraph subcommands. */
export function registerDevnet(program: Command): void {
  const devnet = devnetCommand(program);

  devnet.command('node')
    .description('run a devnet node serving JSON-RPC over HTTP + WebSocket (state in <data>/devnet.sqlite)')
    .option('--data <dir>', 'state folder (default .zkinfer/devnet)', '.zkinfer/devnet')
    .option('--fast', '250 ms blocks, tempo 10 and scaled-down rate limits (fixed at genesis)')
    .option('--port <n>', `port (default ${DEFAULT_DEVNET_PORT}, 0 = any free)`, String(DEFAULT_DEVNET_PORT))
    .option('--host <ip>', 'listen address (default 127.0.0.1)', '127.0.0.1')
    .option('--block-time <ms>', 'override the block time in ms')
    .action(async (f: { data: string; fast?: boolean; port: string; host: string; blockTime?: string }) => {
      const opts: Parameters<typeof Devnet.open>[0] = { dataDir: f.data, fast: f.fast === true };
      if (f.blockTime) opts.blockTimeMs = parseIntArg(f.blockTime, '--block-time', 10, 600_000);
      const port = parseIntArg(f.port, '--port', 0, 65535);
      const [{ Devnet, isEpochBlock }, { serveDevnet }] = await Promise.all([import('../chain/devnet/devnet.js'), import('../chain/rpc/server.js')]);
      const lock = lockDataDir(f.data, 'devnet node');
      const dev = await Devnet.open(opts).catch((err: unknown) => { lock.release(); throw err; });
      const server = await serveDevnet(dev, { host: f.host, port, onError: (e) => console.error('devnet rpc internal error:', e) })
        .catch(async (err: unknown) => { await dev.close(); lock.release(); throw err; });
      const hp = await dev.hyperparameters(1);
      if (f.fast === true && !dev.fastGenesis) {
        console.log(`note: ${f.data} was created without --fast: blocks are fast now but subnet hyperparameters (tempo ${hp.tempo}) stay as created`);
      }
      console.log(`devnet node on ${server.url} (ws ${server.wsUrl}) — genesis ${dev.genesis}, block ${dev.block}, ` +
        `${dev.blockTimeMs} ms blocks, subnet 1 tempo ${hp.tempo}, data ${f.data}`);
      dev.onBlock((b) => {
        if (isEpochBlock(b, 1, hp.tempo)) console.log(`block ${b}: epoch (Yuma consensus) on subnet 1`);
      });
      dev.start();
      await untilShutdown();
      await server.close();
      await dev.close();
      lock.release();
      console.log('devnet node stopped; state saved');
    });

  withKeys(withChain(devnet.command('faucet')))
    .description('credit dev TAO to a coldkey (--address, --coldkey-uri, or the wallet coldkeypub)')
    .option('--address <ss58>', 'coldkey address to fund')
    .option('--amount <tao>', 'TAO to credit', '100')
    .action(async (f: KeyFlags & { address?: string; amount: string }) => {
      const { keyring, resolveWalletRef, Wallet } = await keys();
      const chain = await connect(f);
      try {
        const address = f.address ?? (f.coldkeyUri ? keyring().addFromUri(f.coldkeyUri).address
          : new Wallet(resolveWalletRef({ ...(f.name ? { name: f.name } : {}), ...(f.path ? { path: f.path } : {}) })).coldkeypub().ss58Address);
        await chain.faucet(address, parseTao(f.amount, '--amount'));
        console.log(`${address} balance: ${raoToTao(await chain.balance(address))} τ`);
      } finally {
        await chain.close();
      }
    });

  withKeys(withChain(devnet.command('register')))
    .description('burned_register a hotkey on a subnet, paid by the coldkey')
    .option('--netuid <n>', 'subnet', '1')
    .action(async (f: KeyFlags & { netuid: string }) => {
      // Keys first: unlocking an encrypted coldkey takes seconds (argon2) and may ask for the password.
      const cold = await coldkeySigner(f);
      const hot = await hotkeyAddress(f);
      const chain = await connect(f);
      try {
        const r = await chain.burnedRegister(parseIntArg(f.netuid, '--netuid', 0, 65535), cold, hot);
        console.log(`registered ${hot} as uid ${r.uid} on subnet ${f.netuid} at block ${r.block}` +
          (r.replacedHotkey ? ` (replaced ${r.replacedHotkey})` : ''));
      } finally {
        await chain.close();
      }
    });

  const stake = devnet.command('stake').description('add or remove stake (coldkey signs)');
  for (const op of ['add', 'remove'] as const) {
    withKeys(withChain(stake.command(op)))
      .description(`${op} stake on a hotkey`)
      .requiredOption('--amount <tao>', 'TAO amount')
      .action(async (f: KeyFlags & { amount: string }) => {
        const cold = await coldkeySigner(f);
        const hot = await hotkeyAddress(f);
        const chain = await connect(f);
        try {
          const amount = parseTao(f.amount, '--amount');
          const r = op === 'add' ? await chain.addStake(cold, hot, amount) : await chain.removeStake(cold, hot, amount);
          console.log(`${op === 'add' ? 'staked' : 'unstaked'} ${raoToTao(amount)} τ on ${hot} at block ${r.block}; coldkey balance ${raoToTao(await chain.balance(cold.address))} τ`);
        } finally {
          await chain.close();
        }
      });
  }

  withKeys(withChain(devnet.command('weights')))
    .description('set weights as a validator hotkey (by hand; validators do this automatically)')
    .option('--netuid <n>', 'subnet', '1')
    .requiredOption('--uids <list>', 'comma-separated uids, e.g. 2,3,4')
    .requiredOption('--weights <list>', 'comma-separated u16 weights aligned with --uids, e.g. 50,30,20')
    .option('--version-key <n>', 'weights version key', '0')
    .action(async (f: KeyFlags & { netuid: string; uids: string; weights: string; versionKey: string }) => {
      const chain = await connect(f);
      try {
        const hot = await hotkeySigner(f);
        const r = await chain.setWeights(hot, {
          netuid: parseIntArg(f.netuid, '--netuid', 0, 65535),
          uids: parseList(f.uids, 'uid', 65535),
          weights: parseList(f.weights, 'weight', 65535),
          versionKey: parseIntArg(f.versionKey, '--version-key'),
        });
        console.log(`weights set by ${hot.address} at block ${r.block}`);
      } finally {
        await chain.close();
      }
    });

  withChain(devnet.command('metagraph'))
    .description('print a subnet metagraph: stake, permits, trust, consensus, incentive, dividends, emission, axons')
    .option('--netuid <n>', 'subnet', '1')
    .option('--json', 'print JSON instead of a table')
    .action(async (f: KeyFlags & { netuid: string; json?: boolean }) => {
      const chain = await connect(f);
      try {
        const m = await chain.metagraph(parseIntArg(f.netuid, '--netuid', 0, 65535));
        console.log(f.json ? JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) : formatMetagraph(m));
      } finally {
        await chain.close();
      }
    });
}
