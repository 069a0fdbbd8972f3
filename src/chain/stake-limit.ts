/**
 * Slippage protection for stake calls as the Bittensor SDK sets it (docs/chain.md "Swap fees and limit prices";
 * opentensor/bittensor bb526e6 `add_stake_extrinsic` / `unstake_extrinsic` with `safe_staking`): the limit price
 * is the pool's current price × (1 + rate_tolerance) for a stake, × (1 − rate_tolerance) for an unstake, and the
 * root network's price (1 τ/α) as is. An explicit limit price wins over the tolerance.
 */
import { InvalidInputError } from '../errors/base.js';
import { UnsupportedOnChainError } from './errors.js';
import type { Chain, StakeLimit } from './types.js';

/** The SDK's default `rate_tolerance` (0.5 %). */
export const DEFAULT_RATE_TOLERANCE = 0.005;

export interface StakeLimitRequest {
  /** Explicit limit price, rao of τ per α. */
  limitPrice?: bigint;
  /** Derive the limit from the current price and `rateTolerance` (the SDK's `safe_staking`). */
  safeStaking?: boolean;
  rateTolerance?: number;
  allowPartial?: boolean;
}

/** limit = price · (1 ± tolerance) in rao, rounded down (the SDK's `Balance.from_tao(price · (1 ± t)).rao`). */
export function limitFromTolerance(priceRao: bigint, tolerance: number, op: 'add' | 'remove', netuid: number): bigint {
  if (!(tolerance >= 0 && tolerance < 1)) throw new InvalidInputError(`rate tolerance ${tolerance} must be in [0, 1)`, { hint: 'e.g. --rate-tolerance 0.005 for 0.5 %' });
  if (netuid === 0) return priceRao;
  const ppb = BigInt(Math.round(tolerance * 1e9));
  return (priceRao * (1_000_000_000n + (op === 'add' ? ppb : -ppb))) / 1_000_000_000n;
}

/** The StakeLimit to send, or undefined for a plain add_stake / remove_stake. */
export async function resolveStakeLimit(chain: Chain, op: 'add' | 'remove', netuid: number, r: StakeLimitRequest): Promise<StakeLimit | undefined> {
  const partial = r.allowPartial === true;
  if (r.limitPrice !== undefined) return { limitPrice: r.limitPrice, allowPartial: partial };
  if (!r.safeStaking) {
    if (partial) throw new InvalidInputError('--allow-partial needs a limit', { hint: 'add --limit-price <τ per α> or --safe-staking [--rate-tolerance 0.005]' });
    return undefined;
  }
  if (!chain.subnetPool) throw new UnsupportedOnChainError('safe staking needs the subnet price, which this backend does not read', { hint: 'pass --limit-price <τ per α> instead' });
  const pool = await chain.subnetPool(netuid);
  return { limitPrice: limitFromTolerance(pool.priceRao, r.rateTolerance ?? DEFAULT_RATE_TOLERANCE, op, netuid), allowPartial: partial };
}
