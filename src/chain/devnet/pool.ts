/**
 * A subnet's alpha pool on the devnet (docs/chain.md "Devnet alpha pools", "Swap fees and limit prices"): the
 * τ/α reserve pair (subtensor's `SubnetTAO` / `SubnetAlphaIn`) through which dynamic-TAO staking swaps.
 *
 * Subtensor 14bc6f9f swaps through a balancer pool (pallets/swap, balancer.rs) whose weights start at ½/½ and
 * move only when liquidity is added off-price; the devnet injects only at the current price (docs/chain.md
 * "Per-block coinbase"), so its weights stay ½/½ and the balancer is the constant product x·y = k. Integer rao
 * arithmetic; each swap rounds in the pool's favour (the pallet floors the amount paid out), so τ·α never
 * decreases. Fees and limit prices follow swap_step.rs: fee = ⌊amount · FeeRate / 65535⌋ taken off the input,
 * and a limit price (rao of τ per α, as the extrinsics take it) caps the input at the amount that moves the
 * price exactly to the limit, plus that amount's fee.
 */
import { InvalidAmountError, PriceLimitExceededError } from '../errors.js';

export interface AlphaPool {
  /** τ reserve, rao. */
  tao: bigint;
  /** α reserve, rao. */
  alpha: bigint;
}

/** The swap pallet's `DefaultFeeRate`: 33 / 65535 ≈ 0.05 % of each swap's input. */
export const DEFAULT_FEE_RATE = 33;
/** The runtime's `SwapMaxFeeRate` (10000 / 65535 ≈ 15.26 %). */
export const MAX_FEE_RATE = 10_000;
/** 1 τ in rao: limit prices are rao of τ per whole α. */
export const RAO_PER_TAO = 1_000_000_000n;
/** An input larger than any pool can take (subtensor's u64::MAX for "no limit"). */
export const U64_MAX = (1n << 64n) - 1n;

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/**
 * ⌊√n⌋ for n ≥ 0, by Newton's method on bigints from a power of two ≥ √n (it decreases to ⌊√n⌋ in O(log bits)
 * steps). A float first guess stepped by ±1 took minutes for the reserves × limit products one signed stake call
 * can ask for, with the chain stopped meanwhile (docs/chain.md "Swap fees and limit prices").
 */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt of a negative number');
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Price of one α in τ (reserve ratio), for display. */
export function alphaPrice(p: AlphaPool): number {
  return p.alpha === 0n ? 0 : Number(p.tao) / Number(p.alpha);
}

/** Price of one α in rao of τ, rounded down: the unit of `limit_price` (the SDK's `pool.price` in rao). */
export function alphaPriceRao(p: AlphaPool): bigint {
  return p.alpha === 0n ? 0n : (p.tao * RAO_PER_TAO) / p.alpha;
}

/** The fee on a swap input: ⌊amount · rate / 65535⌋ in U64F64, as `calculate_fee_amount`. */
export function swapFee(amount: bigint, rate: number): bigint {
  const rateFx = (BigInt(rate) << 64n) / 65535n;
  return (amount * rateFx) >> 64n;
}

/** The fee on the part of an input that reaches a limit price: ⌊δ · rate / (65535 − rate)⌋ (swap_step.rs). */
function feeOnNet(delta: bigint, rate: number): bigint {
  const rFx = (BigInt(rate) << 64n) / (65535n - BigInt(rate));
  return (delta * rFx) >> 64n;
}

/** Buy with `tao` (net of fee): α out = α − ⌈τ·α / (τ + tao)⌉, possibly 0 (the coinbase's chain buys). */
export function buyAlpha(p: AlphaPool, tao: bigint): { alphaOut: bigint; pool: AlphaPool } {
  const alphaOut = p.alpha - ceilDiv(p.tao * p.alpha, p.tao + tao);
  return { alphaOut, pool: { tao: p.tao + tao, alpha: p.alpha - alphaOut } };
}

/** Sell `alpha` (net of fee): τ out = τ − ⌈τ·α / (α + alpha)⌉, possibly 0 (a fee's fee-less swap). */
export function sellAlpha(p: AlphaPool, alpha: bigint): { taoOut: bigint; pool: AlphaPool } {
  const taoOut = p.tao - ceilDiv(p.tao * p.alpha, p.alpha + alpha);
  return { taoOut, pool: { tao: p.tao - taoOut, alpha: p.alpha + alpha } };
}

/** Stake `tao` into the pool: α out = α − ⌈τ·α / (τ + tao)⌉ (> 0, else InvalidAmountError). */
export function swapTaoForAlpha(p: AlphaPool, tao: bigint): { alphaOut: bigint; pool: AlphaPool } {
  if (tao <= 0n) throw new InvalidAmountError('stake amount must be positive');
  const r = buyAlpha(p, tao);
  if (r.alphaOut <= 0n) throw new InvalidAmountError(`${tao} rao is too little to buy any α from the pool (τ ${p.tao}, α ${p.alpha})`);
  return r;
}

/** Unstake `alpha` back through the pool: τ out = τ − ⌈τ·α / (α + alpha)⌉ (> 0, else InvalidAmountError). */
export function swapAlphaForTao(p: AlphaPool, alpha: bigint): { taoOut: bigint; pool: AlphaPool } {
  if (alpha <= 0n) throw new InvalidAmountError('unstake amount must be positive');
  const r = sellAlpha(p, alpha);
  if (r.taoOut <= 0n) throw new InvalidAmountError(`${alpha} rao of α is too little to sell for any τ (pool τ ${p.tao}, α ${p.alpha})`);
  return r;
}

const fmtPrice = (rao: bigint): string => `${Number(rao) / 1e9} τ/α`;

/**
 * `get_max_amount_add`: the most τ (fee included) a buy may put in before the price reaches `limitPrice` (rao
 * of τ per α). The limit must be above the current price (`PriceLimitExceeded` otherwise). Constant product:
 * τ' = √(τ·α·limit), so the net input is τ' − τ and its fee is added on top.
 */
export function maxTaoIn(p: AlphaPool, limitPrice: bigint, feeRate: number): bigint {
  const current = alphaPriceRao(p);
  if (!(p.tao * RAO_PER_TAO < limitPrice * p.alpha)) {
    throw new PriceLimitExceededError(`limit price ${fmtPrice(limitPrice)} is not above the current price ${fmtPrice(current)}`, { details: { limitPrice: limitPrice.toString(), price: current.toString() } });
  }
  const net = isqrt((p.tao * p.alpha * limitPrice) / RAO_PER_TAO) - p.tao;
  return net <= 0n ? 0n : net + feeOnNet(net, feeRate);
}

/**
 * `get_max_amount_remove`: the most α (fee included) a sell may put in before the price falls to `limitPrice`.
 * The limit must be below the current price (`PriceLimitExceeded` otherwise); a limit of 0 sells without limit.
 * Constant product: α' = √(τ·α / limit).
 */
export function maxAlphaIn(p: AlphaPool, limitPrice: bigint, feeRate: number): bigint {
  const current = alphaPriceRao(p);
  if (!(p.tao * RAO_PER_TAO > limitPrice * p.alpha)) {
    throw new PriceLimitExceededError(`limit price ${fmtPrice(limitPrice)} is not below the current price ${fmtPrice(current)}`, { details: { limitPrice: limitPrice.toString(), price: current.toString() } });
  }
  if (limitPrice === 0n) return U64_MAX;
  const net = isqrt((p.tao * p.alpha * RAO_PER_TAO) / limitPrice) - p.alpha;
  return net <= 0n ? 0n : net + feeOnNet(net, feeRate);
}
