import { statSync, type Stats } from 'node:fs';
import type { Command } from 'commander';
import type { Chain } from '../chain/types.js';
import { InvalidInputError } from '../errors/base.js';
import type { Wallet } from '../protocol/wallet/wallet.js';
import { addNetworkOptions, addWalletAliases, connectFromFlags, walletRefOf, type NetworkOptionValues, type WalletAliasValues } from './bt-flags.js';
import { parseIntFlag } from './flag-values.js';

/** Flags shared by `zkinfer miner` and `zkinfer validator`. */
export interface NeuronFlags extends NetworkOptionValues, WalletAliasValues {
  wallet?: string;
  hotkey?: string;
  walletPath?: string;
  netuid: string;
}

/** Wallet, subnet and network flags (btcli's dotted names are accepted too: --wallet.name, --subtensor.network, …). */
export function addNeuronOptions(c: Command): Command {
  return addWalletAliases(addNetworkOptions(c
    .option('--wallet <name>', 'wallet name (env BT_WALLET_NAME)')
    .option('--hotkey <name>', 'hotkey name (env BT_WALLET_HOTKEY)')
    .option('--wallet-path <dir>', 'wallets directory (env BT_WALLET_PATH, default ~/.bittensor/wallets)')
    .option('--netuid <n>', 'subnet uid', '1')));
}

/** A competition round from `--competition-start/--competition-end` (or `--start/--end`); docs/competitions.md. */
export function roundFlags(start: string | undefined, end: string | undefined): { start?: number; end?: number } {
  return { ...(start !== undefined ? { start: parseIntFlag(start, 'the round start block', 0, 2 ** 32) } : {}), ...(end !== undefined ? { end: parseIntFlag(end, 'the round end block', 0, 2 ** 32) } : {}) };
}

/**
 * A file flag used only later (a ceremony powers of tau, read at the first ceremony submission): a path that is no
 * regular file is refused now, not turned into a rejection of every honest submission (docs/competitions.md).
 */
export function existingFileFlag(path: string, name: string): string {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (cause) {
    throw new InvalidInputError(`${name} ${path}: no such file`, { hint: 'pass the prepared powers of tau file (.ptau)', cause });
  }
  if (!st.isFile()) throw new InvalidInputError(`${name} ${path} is not a file`, { hint: 'pass the prepared powers of tau file (.ptau)' });
  return path;
}

/** Load the hotkey and connect to the chain. */
export async function openNeuron(f: NeuronFlags): Promise<{ wallet: Wallet; chain: Chain; netuid: number }> {
  const [{ ensureCrypto }, { resolveWalletRef, Wallet }] = await Promise.all([import('../protocol/signing.js'), import('../protocol/wallet/wallet.js')]);
  await ensureCrypto();
  const wallet = new Wallet(resolveWalletRef(walletRefOf(f.wallet, f.hotkey, f.walletPath, f)));
  wallet.hotkeyJson(); // clear error when missing
  const netuid = parseIntFlag(f.netuid, '--netuid', 0, 65535);
  const chain = await connectFromFlags(f, { stakeNetuid: netuid });
  return { wallet, chain, netuid };
}


/** `--circuit DIR[:a[:b]]` values. */
export function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}
