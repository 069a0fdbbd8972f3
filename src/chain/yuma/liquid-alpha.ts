/**
 * Liquid alpha (subtensor `compute_liquid_alpha_values_sparse` and `alpha_sigmoid`, run_epoch.rs at
 * opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0; docs/chain.md "Yuma consensus"):
 * with Yuma3 and liquid alpha on, each validator→miner bond gets its own EMA rate
 *   α_ij = clamp(α_low + σ(d_ij)·(α_high − α_low), α_low, α_high),
 *   σ(d) = 1 / (1 + exp(steepness/(−100) · (d − 0.5))),
 *   d_ij = clamp(w_ij − c_j, 0, 1) when w_ij ≥ b_ij (buying), else clamp(b_ij − w_ij, 0, 1) (selling),
 * all in I32F32 with the chain's rounding.
 */
import { add, expSafe, fromInt, max, min, mul, ONE, satDiv, sub, u16Proportion, ZERO, type Fx } from './fixed.js';
import type { SpMat, SpRow } from './sparse.js';

export interface LiquidAlpha {
  /** AlphaValues.0, u16 (subtensor default 45875 ≈ 0.7; at least 1638 = u16::MAX/40). */
  low: number;
  /** AlphaValues.1, u16 (default 58982 ≈ 0.9; ≥ low). */
  high: number;
  /** AlphaSigmoidSteepness, i16 (default 1000). */
  steepness: number;
}

export const LIQUID_ALPHA_DEFAULTS: LiquidAlpha = { low: 45875, high: 58982, steepness: 1000 };

/** Smallest alpha value subtensor accepts (u16::MAX / 40). */
export const MIN_ALPHA = Math.floor(65535 / 40);

const HALF: Fx = ONE >> 1n;
const clamp = (x: Fx, lo: Fx, hi: Fx): Fx => max(min(x, hi), lo);

/** `alpha_sigmoid`. */
export function alphaSigmoid(consensus: Fx, weight: Fx, bond: Fx, low: Fx, high: Fx, steepness: Fx): Fx {
  const buy = clamp(sub(weight, consensus), ZERO, ONE);
  const sell = clamp(sub(bond, weight), ZERO, ONE);
  const d = weight >= bond ? buy : sell;
  const sigmoid = satDiv(ONE, add(ONE, expSafe(mul(satDiv(steepness, fromInt(-100)), sub(d, HALF)))));
  return clamp(add(low, mul(sigmoid, sub(high, low))), low, high);
}

function dense(row: SpRow, n: number): Fx[] {
  const d = new Array<Fx>(n).fill(ZERO);
  for (const [j, x] of row) if (j < n) d[j] = x;
  return d;
}

/** Dense α matrix, one row per validator, one column per consensus entry. */
export function liquidAlphas(weights: SpMat, bonds: SpMat, consensus: readonly Fx[], la: LiquidAlpha): Fx[][] {
  const low = u16Proportion(la.low);
  const high = u16Proportion(la.high);
  const steep = fromInt(la.steepness);
  const n = consensus.length;
  return weights.map((row, i) => {
    const w = dense(row, n);
    const b = dense(bonds[i] ?? [], n);
    return consensus.map((c, j) => alphaSigmoid(c, w[j]!, b[j]!, low, high, steep));
  });
}
