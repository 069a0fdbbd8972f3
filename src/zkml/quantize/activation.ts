import { erf, sigmoid } from '../ir/kernels.js';

/**
 * A piecewise-linear activation over a power-of-two window [−2^k, 2^k), in 2^(j+1) equal segments chosen by the
 * input's sign bit and the j bits below the window bit; outside the window it saturates to the function's limits.
 * Inside segment `seg`, with t = the offset from the segment start at scale `st` (truncated), y = A[seg] + B[seg]·t
 * at output scale `so`. Every quantity is an integer, so the circuit and the emulator compute the same y.
 */
export interface ActTable {
  fn: ActFn;
  k: number;
  j: number;
  st: number;
  so: number;
  A: bigint[];
  B: bigint[];
  satLo: bigint;
  satHi: bigint;
  /**
   * Centre of a calibrated window (docs/zkml-compile.md "Calibrated activation windows"): the table is of f(c + x)
   * over [−2^k, 2^k) and saturates to f at the window's edges; the gadget's input is x − c. Absent: centred at 0.
   */
  c?: number;
}

export const ACT_FN = {
  sigmoid, tanh: Math.tanh, erf,
  // for lower-nonlinear.ts (docs/zkml-compile.md "Exp, Softmax, LogSoftmax"): exp over [−16, 0) and log(S)/log(17)
  // over S ∈ [1, 17), both as functions of z in the window [−8, 8)
  exp16: (z: number) => Math.exp(z - 8), log17: (z: number) => Math.log(z + 9) / Math.log(17),
  // Tan = sin/cos of the input reduced to [−π/2, π/2] (docs/zkml-compile.md "Tan")
  sin: Math.sin, cos: Math.cos,
} as const;
/** The bounded activations with a segment table (odd ones saturate to ±1, sigmoid to 0/1). */
export type ActFn = keyof typeof ACT_FN;

/**
 * Window and segment count per function: sigmoid over |x| < 8 (16 segments of width 1), tanh over |x| < 4 (32 of
 * width 1/4), erf over |x| < 4 (32 of width 1/4; |1 − erf(4)| < 2e−8); exp16 and log17 over |z| < 8 (128 of width 1/8); sin and cos over |x| < 2 (128 of width 1/32).
 */
export const ACT_SHAPE: Readonly<Record<ActFn, ActShape>> = {
  sigmoid: { k: 3, j: 3 }, tanh: { k: 2, j: 4 }, erf: { k: 2, j: 4 }, exp16: { k: 3, j: 6 }, log17: { k: 3, j: 6 },
  sin: { k: 1, j: 6 }, cos: { k: 1, j: 6 },
};

/**
 * Window 2^k and 2^(j+1) segments of a table (presets refine j: docs/zkml-compile.md, "Precision presets"); `c`: a
 * window centred at c, fitted to the calibration data (lower.ts), that saturates to f at its edges; `offsetBits`:
 * this function's offset bits beyond s, instead of the preset's.
 */
export interface ActShape { k: number; j: number; c?: number; offsetBits?: number }

/**
 * Build the segment table: per segment the least-squares line, its slope rounded first and its offset then fitted to
 * the rounded slope (docs/zkml-compile.md "Activations"). Least squares keeps each segment's mean error at zero: a
 * minimax line has a smaller max error but a bias of a third of it, and biases of many activations add up in a model's
 * output (on the staking LSTM minimax gave 1.7e-3 where least squares gives 1.1e-3).
 */
export function buildActTable(fn: ActFn, st: number, so: number, shape: ActShape = ACT_SHAPE[fn]): ActTable {
  const { k, j, c } = shape;
  const f = actFn(fn, c);
  const nseg = 2 ** (j + 1), w = 2 ** (k - j);
  const A: bigint[] = [], B: bigint[] = [];
  for (let seg = 0; seg < nseg; seg++) {
    const x0 = -(2 ** k) + seg * w;
    const [a, b] = lsqLine(f, x0, w, st, so);
    A.push(a); B.push(b);
  }
  // Saturate one step inside ±1 so every output is strictly below 1 in magnitude (a product of two stays < 1).
  // (a rounded-up slope near the flat ends could overshoot: pull such a segment's A/B just inside)
  const one = (1n << BigInt(so)) - 1n;
  const tmax = (1n << BigInt(k - j + st)) - 1n;
  for (let i = 0; i < A.length; i++) {
    if (A[i]! > one) A[i] = one;
    if (A[i]! < -one) A[i] = -one;
    while (A[i]! + B[i]! * tmax > one) B[i] = B[i]! - 1n;
    while (A[i]! + B[i]! * tmax < -one) B[i] = B[i]! + 1n;
  }
  if (c === undefined) return { fn, k, j, st, so, A, B, satLo: fn === 'tanh' || fn === 'erf' ? -one : 0n, satHi: one };
  // a calibrated window saturates to f at its edges (clamping the input), kept strictly inside ±1 like the rest
  const edge = (x: number): bigint => { const y = BigInt(Math.round(f(x) * 2 ** so)); return y > one ? one : y < -one ? -one : y; };
  return { fn, k, j, st, so, A, B, satLo: edge(-(2 ** k)), satHi: edge(2 ** k), c };
}

/** The function a table approximates, as a function of its gadget's input: f(c + x) for a window centred at c. */
export function actFn(fn: ActFn, c: number | undefined): (x: number) => number {
  const f = ACT_FN[fn];
  return c ? (x: number) => f(c + x) : f;
}

/**
 * Least-squares line of f(x0 + τ) over τ ∈ [0, w) on the circuit's grid: the slope B per truncation step of 2^−st
 * is rounded first, then A is the rounded mean of f − B·t over the segment (so the rounded line keeps zero mean error).
 */
function lsqLine(f: (x: number) => number, x0: number, w: number, st: number, so: number): [bigint, bigint] {
  const m = 256;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < m; i++) {
    const tau = ((i + 0.5) / m) * w, y = f(x0 + tau);
    sx += tau; sy += y; sxx += tau * tau; sxy += tau * y;
  }
  const b = (m * sxy - sx * sy) / (m * sxx - sx * sx), step = 2 ** -st;
  const B = Math.round(b * step * 2 ** so);
  // mean of f over the segment minus B times the mean step index (T steps of 2^−st, each equally likely)
  const T = w / step;
  return [BigInt(Math.round((sy / m) * 2 ** so - (B * (T - 1)) / 2)), BigInt(B)];
}

/**
 * Output scale of an activation whose offset t has scale st, at working scale s: the slope B[seg] is an integer at
 * scale so − st, and its rounding moves y by at most ½·2^−(so−st)·(segment width), so so = st + s + log2(width) − 1
 * keeps that below 2^−s (sigmoid, width 1: 2s − 1; tanh, width 1/4: 2s − 3 at st = s).
 */
export function actOutputScale(fn: ActFn, st: number, s: number, shape: ActShape = ACT_SHAPE[fn], extra = 0): number {
  const { k, j } = shape;
  return st + s + (k - j) - 1 + extra;
}

/**
 * Apply the activation to integer x at scale sx (sx ≥ st) exactly as the circuit does. `inWin` is the window test,
 * `seg` and `t` the segment and offset read from x's two's-complement bits.
 */
export function actEval(tb: ActTable, x: bigint, sx: number): bigint {
  const P = BigInt(tb.k + sx);
  const lim = 1n << P;
  if (x >= lim) return tb.satHi;
  if (x < -lim) return tb.satLo;
  const z = x + lim; // position in the window, [0, 2^(P+1))
  const segShift = P - BigInt(tb.j);
  const seg = Number(z >> segShift);
  const u = z & ((1n << segShift) - 1n);
  const t = u >> BigInt(sx - tb.st);
  return tb.A[seg]! + tb.B[seg]! * t;
}

/** Bounds of the activation's output over every input. */
export function actBounds(tb: ActTable): [bigint, bigint] {
  let lo = tb.satLo < tb.satHi ? tb.satLo : tb.satHi, hi = tb.satLo < tb.satHi ? tb.satHi : tb.satLo;
  const tmax = (1n << BigInt(tb.k - tb.j + tb.st)) - 1n;
  tb.A.forEach((a, i) => {
    for (const y of [a, a + tb.B[i]! * tmax]) { if (y < lo) lo = y; if (y > hi) hi = y; }
  });
  return [lo, hi];
}

/**
 * Max absolute error of the circuit activation against the real function, for real inputs that are first rounded to
 * scale `sx` (the input quantization) — scanned on a grid of 2^−gridBits (default 4× finer than 2^−sx) over
 * [−2^(k+1), 2^(k+1)].
 */
export function actMaxError(tb: ActTable, sx: number, gridBits = sx + 2, domain?: [number, number]): number {
  const f = actFn(tb.fn, tb.c);
  const span = 2 ** (tb.k + 1), stepX = 2 ** -gridBits;
  const [from, to] = domain ?? [-span, span]; // exp16 / log17: only where their callers feed them (lower-nonlinear.ts)
  let worst = 0;
  for (let x = from; x <= to; x += stepX) {
    const y = Number(actEval(tb, BigInt(Math.round(x * 2 ** sx)), sx)) / 2 ** tb.so;
    worst = Math.max(worst, Math.abs(y - f(x)));
  }
  return worst;
}

/**
 * How the segment selector is split: monomials over the low `r` selector bits (2^r − r − 1 products), then a Horner
 * scheme over the other h bits for A and for B (2·(2^h − 1) products). Picks the cheapest r.
 */
export function selectorSplit(selBits: number): { r: number; products: number } {
  let best = { r: selBits, products: 2 ** selBits - selBits - 1 };
  for (let r = 1; r < selBits; r++) {
    const products = (2 ** r - r - 1) + 2 * (2 ** (selBits - r) - 1);
    if (products < best.products) best = { r, products };
  }
  return best;
}
