import type { Chain } from '../../chain/types.js';
import type { PermitSource } from '../service.js';

/**
 * "Holds a validator permit on `netuid`", read from the chain metagraph. The metagraph is cached for
 * `ttlMs` (one block by default) so a burst of requests costs one chain read.
 */
export function chainPermits(chain: Pick<Chain, 'metagraph'>, netuid: number, ttlMs = 12_000): PermitSource {
  let cached: { at: number; permitted: Set<string> } | undefined;
  let pending: Promise<Set<string>> | undefined;
  const load = async (): Promise<Set<string>> => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.permitted;
    pending ??= chain
      .metagraph(netuid)
      .then((mg) => {
        const permitted = new Set(mg.hotkeys.filter((_, uid) => mg.validatorPermit[uid] === true));
        cached = { at: Date.now(), permitted };
        return permitted;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  return { hasValidatorPermit: async (ss58) => (await load()).has(ss58) };
}
