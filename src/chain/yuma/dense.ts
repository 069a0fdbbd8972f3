/**
 * Dense I32F32 matrix operations of subtensor's `epoch/math.rs` (opentensor/subtensor
 * 14bc6f9f964b9cc362e9635dd110a487fa5d15a0), the ones its `epoch_dense_mechanism` runs: n×n matrices with
 * explicit zeros, the chain's order of operations and saturating rounding (docs/chain.md "Yuma consensus").
 */
import { add, checkedMul, div, min, mul, ONE, sub, sum, ZERO, type Fx } from './fixed.js';
import { normalize, weightedMedian } from './sparse.js';

export type Mat = Fx[][];

/** Stored sparse rows as an n×n matrix (`get_weights` / `get_bonds`), cells at or past n dropped. */
export function fromRows(rows: ReadonlyArray<ReadonlyArray<[number, number]>>, n: number, conv: (x: number) => Fx): Mat {
  return Array.from({ length: n }, (_, i) => {
    const d = new Array<Fx>(n).fill(ZERO);
    for (const [j, x] of rows[i] ?? []) if (j < n) d[j] = conv(x);
    return d;
  });
}

/** `inplace_mask_matrix` / `_rows` / `_cols` / `_diag`: zero the cells where `drop(i, j)`. */
export function maskCells(m: Mat, drop: (i: number, j: number) => boolean): Mat {
  return m.map((row, i) => row.map((x, j) => (drop(i, j) ? ZERO : x)));
}

/** `inplace_row_normalize`: rows with a positive sum divided by it. */
export function rowNormalize(m: Mat): Mat {
  return m.map((row) => {
    const s = sum(row);
    return s > 0n ? row.map((x) => div(x, s)) : row.slice();
  });
}

/** `inplace_col_normalize` (`max` = false) and `inplace_col_max_upscale` (`max` = true): each cell over its column's sum / max. */
export function colScale(m: Mat, max: boolean): Mat {
  const n = m[0]?.length ?? 0;
  const by = new Array<Fx>(n).fill(ZERO);
  for (const row of m) row.forEach((x, j) => { by[j] = max ? (by[j]! < x ? x : by[j]!) : add(by[j]!, x); });
  return m.map((row) => row.map((x, j) => (by[j] !== ZERO ? div(x, by[j]!) : x)));
}

/** `row_sum`. */
export function rowSum(m: Mat): Fx[] {
  return m.map(sum);
}

/** `weighted_median_col`: per column over the rows with positive stake (renormalised), κ the majority. */
export function weightedMedianCol(stake: readonly Fx[], m: Mat, kappa: Fx): Fx[] {
  const rows = stake.map((_, i) => i).filter((i) => stake[i]! > 0n);
  const n = m[0]?.length ?? 0;
  if (rows.length === 0) return new Array<Fx>(n).fill(ZERO);
  const useStake = normalize(rows.map((i) => stake[i]!));
  const total = sum(useStake);
  return Array.from({ length: n }, (_, j) => weightedMedian(useStake, rows.map((i) => m[i]![j]!), sub(total, kappa), ZERO, total));
}

/** `inplace_col_clip`: min(m_ij, t_j). */
export function colClip(m: Mat, t: readonly Fx[]): Mat {
  return m.map((row) => row.map((x, j) => min(t[j]!, x)));
}

/** `matmul`: r_j = Σ_i v_i · m_ij. */
export function matmul(m: Mat, v: readonly Fx[]): Fx[] {
  const r = new Array<Fx>(m[0]?.length ?? 0).fill(ZERO);
  m.forEach((row, i) => row.forEach((x, j) => { r[j] = add(r[j]!, mul(v[i] ?? ZERO, x)); }));
  return r;
}

/** `matmul_transpose`: r_i = Σ_j m_ij · v_j. */
export function matmulTranspose(m: Mat, v: readonly Fx[]): Fx[] {
  return m.map((row) => row.reduce((acc, x, j) => add(acc, mul(x, v[j] ?? ZERO)), ZERO));
}

/** `interpolate`: a + ratio·(b − a) (ratio 0 → a, 1 → b). */
export function interpolate(a: Mat, b: Mat, ratio: Fx): Mat {
  if (ratio === ZERO) return a;
  if (ratio === ONE) return b;
  return a.map((row, i) => row.map((x, j) => add(x, mul(ratio, sub(b[i]![j]!, x)))));
}

/** `row_hadamard`: m_ij · v_i. */
export function rowHadamard(m: Mat, v: readonly Fx[]): Mat {
  return m.map((row, i) => row.map((x) => mul(v[i]!, x)));
}

/** `mat_vec_mul`: m_ij · v_j, checked (0 on overflow) as `vec_mul`. */
export function matVecMul(m: Mat, v: readonly Fx[]): Mat {
  return m.map((row) => row.map((x, j) => checkedMul(x, v[j]!) ?? ZERO));
}

/** `mat_ema`: α·new + (1 − α)·old, every cell. */
export function matEma(next: Mat, old: Mat, alpha: Fx): Mat {
  const rest = sub(ONE, alpha);
  return next.map((row, i) => row.map((x, j) => add(mul(alpha, x), mul(rest, old[i]![j]!))));
}

/** `mat_ema_alpha`: per cell (1 − α_ij)·old_ij + max(α_ij·new_ij, 0), capped at 1. */
export function matEmaAlpha(next: Mat, old: Mat, alphas: Mat): Mat {
  return next.map((row, i) => row.map((x, j) => {
    const a = alphas[i]![j]!;
    const inc = mul(a, x);
    const v = add(mul(sub(ONE, a), old[i]![j]!), inc > 0n ? inc : ZERO);
    return v > ONE ? ONE : v;
  }));
}
