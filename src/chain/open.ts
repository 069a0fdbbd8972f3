/**
 * Open a `Chain` from one string, as a `--chain` flag would carry it:
 *   undefined | "devnet"              → the devnet node at $ZKINFER_DEVNET_URL or http://127.0.0.1:9955
 *   "http://host:port" | "devnet:URL"  → a devnet node (JSON-RPC over HTTP; blocks over WebSocket)
 *   "finney" | "test" | "local"        → real subtensor (public endpoints / ws://127.0.0.1:9944)
 *   "ws://…" | "wss://…" | "subtensor:URL" → a subtensor node at that URL
 * For tests, use `Devnet.open()` (src/chain/devnet/devnet.ts) directly: it implements Chain in-process.
 */
import { InvalidInputError } from '../errors/base.js';
import type { Chain } from './types.js';
import { DEFAULT_DEVNET_URL, RpcChain } from './rpc/client.js';
import { SubtensorChain } from './subtensor/subtensor.js';
import { SUBTENSOR_NETWORKS } from './subtensor/config.js';

export type ChainSpec =
  | { kind: 'devnet'; url: string }
  | { kind: 'subtensor'; url: string };

/** Parse a chain spec string (see the module comment). */
export function parseChainSpec(spec: string | undefined): ChainSpec {
  const s = (spec ?? 'devnet').trim();
  if (s === 'devnet') return { kind: 'devnet', url: process.env.ZKINFER_DEVNET_URL ?? DEFAULT_DEVNET_URL };
  if (s.startsWith('devnet:')) return { kind: 'devnet', url: s.slice('devnet:'.length) };
  if (/^https?:\/\//.test(s)) return { kind: 'devnet', url: s };
  if (SUBTENSOR_NETWORKS[s]) return { kind: 'subtensor', url: SUBTENSOR_NETWORKS[s]! };
  if (s.startsWith('subtensor:')) return { kind: 'subtensor', url: s.slice('subtensor:'.length) };
  if (/^wss?:\/\//.test(s)) return { kind: 'subtensor', url: s };
  throw new InvalidInputError(`unknown chain "${s}"`, {
    hint: 'use devnet, http://HOST:PORT (a devnet node), finney, test, local, or ws(s)://HOST:PORT (a subtensor node)',
  });
}

/** Connect to the chain a spec names. `stakeNetuid` is the subnet staking acts on (subtensor only). */
export async function openChain(spec?: string, opts: { stakeNetuid?: number } = {}): Promise<Chain> {
  const p = parseChainSpec(spec);
  if (p.kind === 'devnet') return RpcChain.connect(p.url);
  return SubtensorChain.connect({ network: p.url, ...(opts.stakeNetuid !== undefined ? { stakeNetuid: opts.stakeNetuid } : {}) });
}
