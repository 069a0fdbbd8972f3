/**
 * Vector/matrix helpers for Yuma consensus, float64 versions of subtensor's `epoch/math.rs`
 * (which uses I32F32). Same semantics: normalising an all-zero vector leaves it zero; u16 storage
 * conversions round like `fixed_proportion_to_u16` (x·65535, saturating).
 */
export type Vec = number[];
export type Mat = number[][];

export const U16_MAX = 65535;

export function sum(v: Vec): number {
  let s = 0;
  for (const x of v) s += x;
  return s;
}

/** v / Σv (unchanged if Σv = 0). */
export function normalize(v: Vec): Vec {
  const s = sum(v);
  return s === 0 ? v.slice() : v.map((x) => x / s);
}

/** Each row divided by its sum (zero rows stay zero). */
export function rowNormalize(m: Mat): Mat {
  return m.map(normalize);
}

/** Each column divided by its sum (zero columns stay zero). */
export function colNormalize(m: Mat, cols: number): Mat {
  const s = new Array<number>(cols).fill(0);
  for (const row of m) for (let j = 0; j < cols; j++) s[j]! += row[j]!;
  return m.map((row) => row.map((x, j) => (s[j] === 0 ? x : x / s[j]!)));
}

/** Each column divided by its max (so max_i m_ij = 1; zero columns stay zero). */
export function colMaxUpscale(m: Mat, cols: number): Mat {
  const mx = new Array<number>(cols).fill(0);
  for (const row of m) for (let j = 0; j < cols; j++) mx[j] = Math.max(mx[j]!, row[j]!);
  return m.map((row) => row.map((x, j) => (mx[j] === 0 ? x : x / mx[j]!)));
}

/** Proportion in [0,1] → u16, like subtensor's `fixed_proportion_to_u16` (saturating). */
export function proportionToU16(x: number): number {
  const v = Math.floor(x * U16_MAX);
  return Math.max(0, Math.min(U16_MAX, v));
}

/** u16 → proportion in [0,1]. */
export function u16ToProportion(x: number): number {
  return x / U16_MAX;
}

/** Scale so the max is 65535 and round (subtensor `vec_u16_max_upscale_to_u16`, used on set_weights). */
export function maxUpscaleToU16(v: Vec): number[] {
  const mx = Math.max(0, ...v);
  if (mx === 0) return v.map(() => 0);
  return v.map((x) => Math.round((x * U16_MAX) / mx));
}

/**
 * subtensor's `is_topk_nonzero` (pallets/subtensor/src/epoch/math.rs at opentensor/subtensor
 * 14bc6f9f964b9cc362e9635dd110a487fa5d15a0): non-zero entries, minus the n − k smallest in an ascending
 * stable sort — so among equal values the HIGHER indices keep their place; with n < k every non-zero
 * entry is in.
 */
export function isTopkNonzero(v: Vec, k: number): boolean[] {
  const out = v.map((x) => x !== 0);
  if (v.length < k) return out;
  const asc = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]! || a - b);
  for (const i of asc.slice(0, v.length - k)) out[i] = false;
  return out;
}

/**
 * Stake-weighted median of one column, subtensor's `weighted_median` quickselect. With stake summing
 * to 1 and minority = 1 − κ it returns the score at which the stake-weighted distribution, counted
 * from the top, first reaches κ: a score supported by at least κ of the stake.
 */
export function weightedMedian(stake: Vec, score: Vec, minority: number, lo0: number, hi0: number): number {
  let part = stake.map((_, i) => i);
  let lo = lo0;
  let hi = hi0;
  for (let iter = 0; iter <= stake.length; iter++) {
    const n = part.length;
    if (n === 0) return 0;
    if (n === 1) return score[part[0]!]!;
    const pivot = score[part[Math.floor(n / 2)]!]!;
    let loStake = 0;
    let hiStake = 0;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const i of part) {
      const s = score[i]!;
      if (s === pivot) continue;
      if (s < pivot) {
        loStake += stake[i]!;
        lower.push(i);
      } else {
        hiStake += stake[i]!;
        upper.push(i);
      }
    }
    if (minority < lo + loStake && lower.length > 0) {
      part = lower;
      hi = lo + loStake;
    } else if (hi - hiStake <= minority && upper.length > 0) {
      part = upper;
      lo = hi - hiStake;
    } else {
      return pivot;
    }
  }
  return 0;
}

/** Column-wise κ-stake-weighted median over rows with non-zero stake (subtensor `weighted_median_col`). */
export function weightedMedianCol(stake: Vec, w: Mat, cols: number, kappa: number): Vec {
  const out = new Array<number>(cols).fill(0);
  for (let j = 0; j < cols; j++) {
    const useStake: number[] = [];
    const useScore: number[] = [];
    for (let i = 0; i < stake.length; i++) {
      if (stake[i]! > 0) {
        useStake.push(stake[i]!);
        useScore.push(w[i]![j]!);
      }
    }
    if (useStake.length === 0) continue;
    const ns = normalize(useStake);
    const total = sum(ns);
    out[j] = weightedMedian(ns, useScore, total - kappa, 0, total);
  }
  return out;
}
