/**
 * A subnet's alpha pool on the devnet (docs/chain.md "Devnet alpha pools"): the constant-product
 * τ/α reserve pair through which dynamic-TAO staking swaps, as subtensor's `SubnetTAO` / `SubnetAlphaIn`.
 * Integer rao arithmetic; each swap rounds in the pool's favour, so τ·α never decreases.
 */
import { InvalidAmountError } from '../errors.js';

export interface AlphaPool {
  /** τ reserve, rao. */
  tao: bigint;
  /** α reserve, rao. */
  alpha: bigint;
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** Price of one α in τ (reserve ratio), for display. */
export function alphaPrice(p: AlphaPool): number {
  return p.alpha === 0n ? 0 : Number(p.tao) / Number(p.alpha);
}

/** Stake `tao` into the pool: α out = α − ⌈τ·α / (τ + tao)⌉. */
export function swapTaoForAlpha(p: AlphaPool, tao: bigint): { alphaOut: bigint; pool: AlphaPool } {
  if (tao <= 0n) throw new InvalidAmountError('stake amount must be positive');
  const alphaOut = p.alpha - ceilDiv(p.tao * p.alpha, p.tao + tao);
  if (alphaOut <= 0n) throw new InvalidAmountError(`${tao} rao is too little to buy any α from the pool (τ ${p.tao}, α ${p.alpha})`);
  return { alphaOut, pool: { tao: p.tao + tao, alpha: p.alpha - alphaOut } };
}

/** Unstake `alpha` back through the pool: τ out = τ − ⌈τ·α / (α + alpha)⌉. */
export function swapAlphaForTao(p: AlphaPool, alpha: bigint): { taoOut: bigint; pool: AlphaPool } {
  if (alpha <= 0n) throw new InvalidAmountError('unstake amount must be positive');
  const taoOut = p.tao - ceilDiv(p.tao * p.alpha, p.alpha + alpha);
  if (taoOut <= 0n) throw new InvalidAmountError(`${alpha} rao of α is too little to sell for any τ (pool τ ${p.tao}, α ${p.alpha})`);
  return { taoOut, pool: { tao: p.tao - taoOut, alpha: p.alpha + alpha } };
}
