/**
 * Which chain a command talks to, from one btcli-style network value (docs/chain.md "Choosing the network"):
 *   "devnet"                           → the devnet node at $ZKINFER_DEVNET_URL or http://127.0.0.1:9955
 *   "http://host:port" | "devnet:URL"  → a devnet node (JSON-RPC over HTTP; blocks over WebSocket)
 *   "finney" | "test" | "archive" | "latent-lite" | "local" → real subtensor (the Bittensor SDK's endpoints)
 *   "ws://…" | "wss://…" | "subtensor:URL" → a subtensor node at that URL
 * When no flag is given, the environment variables the Bittensor SDK reads decide
 * (BT_SUBTENSOR_CHAIN_ENDPOINT, then BT_SUBTENSOR_NETWORK), then ZKINFER_DEVNET_URL, then the local devnet.
 * For tests, use `Devnet.open()` (src/chain/devnet/devnet.ts) directly: it implements Chain in-process.
 */
import { InvalidInputError } from '../errors/base.js';
import type { Chain } from './types.js';
import { DEFAULT_DEVNET_URL } from './rpc/defaults.js';
import { SUBTENSOR_NETWORKS } from './subtensor/config.js';
import { ChainConnectionError } from './errors.js';

export interface ChainSpec {
  kind: 'devnet' | 'subtensor';
  url: string;
  /** Network name for messages: finney/test/local/…, "devnet", or "custom" for a bare URL. */
  network: string;
}

/** The network flags a command may carry (btcli names and zkinfer's). */
export interface NetworkFlags {
  /** `--network` / `--subtensor.network` (a name or a URL). */
  network?: string;
  /** `--subtensor.chain_endpoint` (a URL; wins over the network name, as in the Bittensor SDK). */
  chainEndpoint?: string;
}

const HELP = 'use devnet, http://HOST:PORT (a devnet node), finney, test, archive, latent-lite, local, or ws(s)://HOST:PORT (a subtensor node)';

/** Parse one network value (see the module comment). `local` honours BT_SUBTENSOR_CHAIN_ENDPOINT like the SDK. */
export function parseChainSpec(spec: string | undefined, env: NodeJS.ProcessEnv = process.env): ChainSpec {
  const s = (spec ?? 'devnet').trim();
  if (s === 'devnet') return { kind: 'devnet', url: env.ZKINFER_DEVNET_URL ?? DEFAULT_DEVNET_URL, network: 'devnet' };
  if (s.startsWith('devnet:')) return { kind: 'devnet', url: s.slice('devnet:'.length), network: 'devnet' };
  if (/^https?:\/\/[^\s/]+/.test(s)) return { kind: 'devnet', url: s, network: 'devnet' };
  if (s === 'local' && env.BT_SUBTENSOR_CHAIN_ENDPOINT) return { kind: 'subtensor', url: env.BT_SUBTENSOR_CHAIN_ENDPOINT, network: 'local' };
  const named = SUBTENSOR_NETWORKS[s];
  if (named) return { kind: 'subtensor', url: named, network: s };
  const url = s.startsWith('subtensor:') ? s.slice('subtensor:'.length) : s;
  if (/^wss?:\/\/[^\s/]+/.test(url)) {
    const known = Object.entries(SUBTENSOR_NETWORKS).find(([, u]) => u === url);
    return { kind: 'subtensor', url, network: known ? known[0] : 'custom' };
  }
  throw new InvalidInputError(`unknown network "${s}"`, { hint: HELP });
}

/**
 * Resolve the network of a command: flags first (`--subtensor.chain_endpoint`, then `--network`), then
 * BT_SUBTENSOR_CHAIN_ENDPOINT, BT_SUBTENSOR_NETWORK, ZKINFER_DEVNET_URL, and finally the local devnet.
 */
export function resolveNetwork(flags: NetworkFlags = {}, env: NodeJS.ProcessEnv = process.env): ChainSpec {
  if (flags.chainEndpoint) return parseChainSpec(flags.chainEndpoint, env);
  if (flags.network) return parseChainSpec(flags.network, env);
  if (env.BT_SUBTENSOR_CHAIN_ENDPOINT) return parseChainSpec(env.BT_SUBTENSOR_CHAIN_ENDPOINT, env);
  if (env.BT_SUBTENSOR_NETWORK) return parseChainSpec(env.BT_SUBTENSOR_NETWORK, env);
  return parseChainSpec('devnet', env);
}

export interface OpenChainOptions {
  /** Subnet that addStake / removeStake act on (subtensor: dynamic TAO stakes per subnet). */
  stakeNetuid?: number;
  /** Give up connecting after this many ms (default DEFAULT_CONNECT_TIMEOUT_S): a node that is silent counts as unreachable. */
  timeoutMs?: number;
}

/** Default seconds to connect to a chain before it counts as unreachable (the CLI's `--connect-timeout`). */
export const DEFAULT_CONNECT_TIMEOUT_S = 15;

/**
 * Connect to the chain a spec names; an unreachable endpoint fails fast with a ChainConnectionError naming it, and one
 * that accepts the connection but does not answer in time says so.
 */
export async function openChain(spec?: string | ChainSpec, opts: OpenChainOptions = {}): Promise<Chain> {
  const p = typeof spec === 'object' ? spec : parseChainSpec(spec);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_S * 1000;
  try {
    // the chain clients load on use: @polkadot/api alone costs a second of start-up (docs/network.md, start-up)
    if (p.kind === 'devnet') return await (await import('./rpc/client.js')).RpcChain.connect(p.url, { connectTimeoutMs: timeoutMs });
    const { SubtensorChain } = await import('./subtensor/subtensor.js');
    return await SubtensorChain.connect({ network: p.url, timeoutMs, ...(opts.stakeNetuid !== undefined ? { stakeNetuid: opts.stakeNetuid } : {}) });
  } catch (err) {
    if (!(err instanceof ChainConnectionError)) throw err;
    const silent = err.details?.timedOutAfterMs !== undefined;
    throw new ChainConnectionError(`cannot reach ${p.url} (network ${p.network})${silent ? `: no answer within ${timeoutMs / 1000} s` : ''}`, {
      cause: err,
      hint: silent
        ? 'something accepts connections there but does not answer: check that it is a running, unstuck node, or allow it more time (--connect-timeout)'
        : p.kind === 'devnet'
          ? 'start a devnet (`zkinfer devnet node --fast` or `zkinfer devnet up`) or pass --network with its URL'
          : 'check the internet connection and the endpoint, or pass --network with another one (finney, test, local, ws://HOST:PORT)',
    });
  }
}
