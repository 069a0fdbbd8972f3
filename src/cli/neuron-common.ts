import type { Command } from 'commander';
import { DEFAULT_DEVNET_URL } from '../chain/rpc/defaults.js';
import type { RpcChain } from '../chain/rpc/client.js';
import { InvalidInputError } from '../errors/base.js';
import { untilShutdown } from '../lifecycle/signals.js';
import type { Wallet } from '../protocol/wallet/wallet.js';

/** Flags shared by `zkinfer miner` and `zkinfer validator`. */
export interface NeuronFlags {
  wallet?: string;
  hotkey?: string;
  walletPath?: string;
  netuid: string;
  chain: string;
}

export function addNeuronOptions(c: Command): Command {
  return c
    .option('--wallet <name>', 'wallet name (env BT_WALLET_NAME)')
    .option('--hotkey <name>', 'hotkey name (env BT_WALLET_HOTKEY)')
    .option('--wallet-path <dir>', 'wallets directory (env BT_WALLET_PATH, default ~/.bittensor/wallets)')
    .option('--netuid <n>', 'subnet uid', '1')
    .option('--chain <url>', 'devnet node JSON-RPC URL (`zkinfer devnet node`)', process.env['ZKINFER_DEVNET_URL'] ?? DEFAULT_DEVNET_URL);
}

export function parseIntFlag(v: string, name: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidInputError(`${name} must be an integer in ${min}..${max}, got "${v}"`);
  return n;
}

/** Load the hotkey and connect to the chain. */
export async function openNeuron(f: NeuronFlags): Promise<{ wallet: Wallet; chain: RpcChain; netuid: number }> {
  const [{ RpcChain }, { ensureCrypto }, { resolveWalletRef, Wallet }] = await Promise.all([
    import('../chain/rpc/client.js'), import('../protocol/signing.js'), import('../protocol/wallet/wallet.js'),
  ]);
  await ensureCrypto();
  const wallet = new Wallet(resolveWalletRef({ ...(f.wallet ? { name: f.wallet } : {}), ...(f.hotkey ? { hotkey: f.hotkey } : {}), ...(f.walletPath ? { path: f.walletPath } : {}) }));
  wallet.hotkeyJson(); // clear error when missing
  const chain = await RpcChain.connect(f.chain);
  return { wallet, chain, netuid: parseIntFlag(f.netuid, '--netuid', 0, 65535) };
}

/** Resolve on the first SIGINT/SIGTERM (a second one, or a stop over 10 s, exits at once). */
export async function untilSignal(): Promise<void> {
  await untilShutdown();
}

/** `--circuit DIR[:a[:b]]` values. */
export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}
