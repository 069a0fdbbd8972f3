/**
 * Sparse I32F32 vector/matrix operations of subtensor's `epoch/math.rs` (opentensor/subtensor
 * 14bc6f9f964b9cc362e9635dd110a487fa5d15a0), the ones its `epoch_mechanism` runs, with the same order
 * of operations so every truncation lands where the chain's does (docs/chain.md "Yuma consensus").
 * A sparse row is a list of [column, value] in storage order.
 */
import { add, checkedDiv, checkedMul, div, mul, sub, sum, ZERO, ONE, type Fx } from './fixed.js';

export type SpRow = Array<[number, Fx]>;
export type SpMat = SpRow[];

/** `inplace_normalize`: v / Σv, unchanged when Σv = 0. */
export function normalize(v: readonly Fx[]): Fx[] {
  const s = sum(v);
  return s === 0n ? v.slice() : v.map((x) => div(x, s));
}

/** `inplace_normalize_using_sum`. */
export function normalizeUsing(v: readonly Fx[], s: Fx): Fx[] {
  return s === 0n ? v.slice() : v.map((x) => div(x, s));
}

/** `inplace_row_normalize_sparse`: rows with a positive sum divided by it. */
export function rowNormalize(m: SpMat): SpMat {
  return m.map((row) => {
    const s = sum(row.map(([, v]) => v));
    return s > 0n ? row.map(([j, v]) => [j, div(v, s)] as [number, Fx]) : row.slice();
  });
}

function perColumn(m: SpMat, n: number, fold: (acc: Fx, v: Fx) => Fx): Fx[] {
  const acc = new Array<Fx>(n).fill(ZERO);
  for (const row of m) for (const [j, v] of row) if (j < n) acc[j] = fold(acc[j]!, v);
  return acc;
}

function divideColumns(m: SpMat, by: Fx[]): SpMat {
  return m.map((row) => row.map(([j, v]) => [j, by[j] ? div(v, by[j]!) : v] as [number, Fx]));
}

/** `inplace_col_normalize_sparse`. */
export function colNormalize(m: SpMat, n: number): SpMat {
  return divideColumns(m, perColumn(m, n, add));
}

/** `inplace_col_max_upscale_sparse`. */
export function colMaxUpscale(m: SpMat, n: number): SpMat {
  return divideColumns(m, perColumn(m, n, (a, v) => (a < v ? v : a)));
}

/** `row_sum_sparse`. */
export function rowSum(m: SpMat): Fx[] {
  return m.map((row) => sum(row.map(([, v]) => v)));
}

/** Keep the cells for which `keep(i, j)` holds (mask_rows / mask_diag / vec_mask / scalar_vec_mask_sparse_matrix). */
export function filterCells(m: SpMat, keep: (i: number, j: number) => boolean): SpMat {
  return m.map((row, i) => row.filter(([j]) => keep(i, j)));
}

/** `row_hadamard_sparse`: m_ij · v_i. */
export function rowHadamard(m: SpMat, v: readonly Fx[]): SpMat {
  return m.map((row, i) => row.map(([j, x]) => [j, mul(x, v[i]!)] as [number, Fx]));
}

/** `matmul_sparse`: r_j = Σ_i v_i · m_ij. */
export function matmul(m: SpMat, v: readonly Fx[], n: number): Fx[] {
  const r = new Array<Fx>(n).fill(ZERO);
  m.forEach((row, i) => {
    for (const [j, x] of row) if (j < n) r[j] = add(r[j]!, mul(v[i] ?? ZERO, x));
  });
  return r;
}

/** `matmul_transpose_sparse`: r_i = Σ_j v_j · m_ij. */
export function matmulTranspose(m: SpMat, v: readonly Fx[]): Fx[] {
  return m.map((row) => row.reduce((acc, [j, x]) => add(acc, mul(v[j] ?? ZERO, x)), ZERO));
}

/** `col_clip_sparse`: min(m_ij, t_j), cells clipped to a threshold ≤ 0 dropped. */
export function colClip(m: SpMat, t: readonly Fx[]): SpMat {
  return m.map((row) => {
    const out: SpRow = [];
    for (const [j, x] of row) {
      const th = t[j] ?? ZERO;
      if (th < x) {
        if (th > 0n) out.push([j, th]);
      } else out.push([j, x]);
    }
    return out;
  });
}

/** `vec_mul`: a_i · b_i, checked (0 on overflow). */
export function vecMul(a: readonly Fx[], b: readonly Fx[]): Fx[] {
  return a.map((x, i) => checkedMul(x, b[i]!) ?? ZERO);
}

/** `mat_vec_mul_sparse`: m_ij · v_j, zero products dropped. */
export function matVecMul(m: SpMat, v: readonly Fx[]): SpMat {
  return m.map((row) => row.map(([j, x]) => [j, mul(x, v[j] ?? ZERO)] as [number, Fx]).filter(([, x]) => x !== 0n));
}

function dense(row: SpRow | undefined, n: number): Fx[] {
  const d = new Array<Fx>(n).fill(ZERO);
  for (const [j, x] of row ?? []) if (j < n) d[j] = x;
  return d;
}

/** `interpolate_sparse`: a + ratio·(b − a), positive cells kept (ratio 0 → a, 1 → b). */
export function interpolate(a: SpMat, b: SpMat, n: number, ratio: Fx): SpMat {
  if (ratio === 0n) return a;
  if (ratio === ONE) return b;
  return a.map((rowA, i) => {
    const da = dense(rowA, n);
    const db = dense(b[i], n);
    const out: SpRow = [];
    for (let j = 0; j < n; j++) {
      const x = add(da[j]!, mul(ratio, sub(db[j]!, da[j]!)));
      if (x > 0n) out.push([j, x]);
    }
    return out;
  });
}

/** `mat_ema_sparse`: α·new + (1 − α)·old, positive cells kept, in column order. */
export function matEma(next: SpMat, old: SpMat, alpha: Fx): SpMat {
  const n = next.length;
  const rest = sub(ONE, alpha);
  return next.map((row, i) => {
    const acc = new Array<Fx>(n).fill(ZERO);
    for (const [j, x] of row) if (j < n) acc[j] = add(acc[j]!, mul(alpha, x));
    for (const [j, x] of old[i] ?? []) if (j < n) acc[j] = add(acc[j]!, mul(rest, x));
    const out: SpRow = [];
    acc.forEach((x, j) => { if (x > 0n) out.push([j, x]); });
    return out;
  });
}

/**
 * `mat_ema_alpha_sparse`: per cell (1 − α_ij)·old_ij + max(α_ij·new_ij, 0), capped at 1. As on chain,
 * only cells present in `next` are emitted: a bond whose weight is gone is dropped, not decayed.
 */
export function matEmaAlpha(next: SpMat, old: SpMat, alphas: Fx[][]): SpMat {
  return next.map((row, i) => {
    const a = alphas[i]!;
    const decayed = new Array<Fx>(a.length).fill(ZERO);
    for (const [j, x] of old[i] ?? []) if (j < a.length) decayed[j] = mul(sub(ONE, a[j]!), x);
    const out: SpRow = [];
    for (const [j, x] of row) {
      if (j >= a.length) continue;
      const inc = mul(a[j]!, x);
      let v = add(decayed[j]!, inc > 0n ? inc : ZERO);
      if (v > ONE) v = ONE;
      if (v > 0n) out.push([j, v]);
    }
    return out;
  });
}

/**
 * `weighted_median`: mid-pivot quickselect for the score at which stake, counted from the top,
 * first reaches the majority (minority = Σstake − κ).
 */
export function weightedMedian(stake: readonly Fx[], score: readonly Fx[], minority: Fx, lo0: Fx, hi0: Fx): Fx {
  let part = stake.map((_, i) => i);
  let lo = lo0;
  let hi = hi0;
  for (let iter = 0; iter <= stake.length; iter++) {
    if (part.length === 0) return ZERO;
    if (part.length === 1) return score[part[0]!]!;
    const pivot = score[part[Math.floor(part.length / 2)]!]!;
    let loStake = ZERO;
    let hiStake = ZERO;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const i of part) {
      const s = score[i]!;
      if (s === pivot) continue;
      if (s < pivot) { loStake = add(loStake, stake[i]!); lower.push(i); } else { hiStake = add(hiStake, stake[i]!); upper.push(i); }
    }
    if (minority < add(lo, loStake) && lower.length > 0) {
      part = lower;
      hi = add(lo, loStake);
    } else if (sub(hi, hiStake) <= minority && upper.length > 0) {
      part = upper;
      lo = sub(hi, hiStake);
    } else {
      return pivot;
    }
  }
  return ZERO;
}

/** `weighted_median_col_sparse`: per column over the rows with positive stake (renormalised). */
export function weightedMedianCol(stake: readonly Fx[], m: SpMat, n: number, kappa: Fx): Fx[] {
  const rows = stake.map((s, i) => i).filter((i) => stake[i]! > 0n);
  const useStake = normalize(rows.map((i) => stake[i]!));
  const total = sum(useStake);
  const minority = sub(total, kappa);
  const cols = Array.from({ length: n }, () => new Array<Fx>(rows.length).fill(ZERO));
  rows.forEach((i, k) => {
    for (const [j, x] of m[i] ?? []) if (j < n) cols[j]![k] = x;
  });
  return cols.map((score) => weightedMedian(useStake, score, minority, ZERO, total));
}

/** `vecdiv`: x_i / y_i, 0 where y_i = 0. */
export function vecDiv(x: readonly Fx[], y: readonly Fx[]): Fx[] {
  return x.map((v, i) => checkedDiv(v, y[i] ?? ZERO) ?? ZERO);
}
