/**
 * The btcli-style network and wallet flags shared by neuron and chain commands, with the Bittensor SDK's
 * dotted names as hidden aliases so existing launch scripts (pm2) work unchanged (docs/chain.md
 * "Choosing the network"). Resolution of the network itself lives in src/chain/open.ts.
 */
import { Option, type Command } from 'commander';
import { DEFAULT_CONNECT_TIMEOUT_S, openChain, resolveNetwork, type ChainSpec, type OpenChainOptions } from '../chain/open.js';
import { parseIntFlag } from './flag-values.js';
import type { Chain } from '../chain/types.js';

/** What the network flags leave on a command's options object. */
export interface NetworkOptionValues {
  network?: string;
  chain?: string;
  'subtensor.network'?: string;
  'subtensor.chain_endpoint'?: string;
  /** `--connect-timeout`, seconds (checked as the flags are parsed). */
  connectTimeout?: number;
}

/** Add `--network` (+ `--subtensor.network`, `--subtensor.chain_endpoint`, legacy `--chain`) and `--connect-timeout`. */
export function addNetworkOptions(c: Command): Command {
  return c
    .option('--network <name|url>', 'finney | test | local | archive | ws(s)://HOST:PORT (subtensor) | http://HOST:PORT (devnet node); '
      + 'env BT_SUBTENSOR_CHAIN_ENDPOINT / BT_SUBTENSOR_NETWORK / ZKINFER_DEVNET_URL; default the local devnet http://127.0.0.1:9955')
    .addOption(new Option('--subtensor.network <name|url>', 'alias of --network (Bittensor SDK name)').hideHelp())
    .addOption(new Option('--subtensor.chain_endpoint <url>', 'subtensor endpoint; wins over --network (Bittensor SDK name)').hideHelp())
    .addOption(new Option('--chain <url>', 'alias of --network (older zkinfer name)').hideHelp())
    .option('--connect-timeout <s>', 'seconds the chain may take to answer when connecting before it counts as unreachable (1..600)',
      (v: string) => parseIntFlag(v, '--connect-timeout', 1, 600), DEFAULT_CONNECT_TIMEOUT_S);
}

/** The chain spec the flags (then the environment) name. */
export function networkOf(f: NetworkOptionValues): ChainSpec {
  const network = f.network ?? f['subtensor.network'] ?? f.chain;
  const endpoint = f['subtensor.chain_endpoint'];
  return resolveNetwork({ ...(network ? { network } : {}), ...(endpoint ? { chainEndpoint: endpoint } : {}) });
}

/** Connect to the chain the flags name (fails fast with "cannot reach URL (network NAME)"; a silent one after --connect-timeout). */
export function connectFromFlags(f: NetworkOptionValues, opts: Omit<OpenChainOptions, 'timeoutMs'> = {}): Promise<Chain> {
  return openChain(networkOf(f), { ...opts, timeoutMs: (f.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000 });
}

/** Wallet flags under the names a command already uses, plus the SDK's dotted aliases. */
export interface WalletAliasValues {
  'wallet.name'?: string;
  'wallet.hotkey'?: string;
  'wallet.path'?: string;
}

/** Add `--wallet.name`, `--wallet.hotkey`, `--wallet.path` as hidden aliases. */
export function addWalletAliases(c: Command): Command {
  return c
    .addOption(new Option('--wallet.name <name>', 'alias of the wallet name flag (Bittensor SDK name)').hideHelp())
    .addOption(new Option('--wallet.hotkey <name>', 'alias of the hotkey name flag (Bittensor SDK name)').hideHelp())
    .addOption(new Option('--wallet.path <dir>', 'alias of the wallets directory flag (Bittensor SDK name)').hideHelp());
}

/** `{name, hotkey, path}` from the zkinfer flag or its dotted alias (undefined when neither is given). */
export function walletRefOf(name: string | undefined, hotkey: string | undefined, path: string | undefined, a: WalletAliasValues): { name?: string; hotkey?: string; path?: string } {
  const out: { name?: string; hotkey?: string; path?: string } = {};
  const n = name ?? a['wallet.name'];
  const h = hotkey ?? a['wallet.hotkey'];
  const p = path ?? a['wallet.path'];
  if (n) out.name = n;
  if (h) out.hotkey = h;
  if (p) out.path = p;
  return out;
}
