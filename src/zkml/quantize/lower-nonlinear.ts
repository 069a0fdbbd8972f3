import type { IRNode } from '../ir/graph.js';
import { broadcast, convTerms, softmaxGroups } from '../ir/kernels.js';
import type { Tensor } from '../ir/tensor.js';
import type { ActFn } from './activation.js';
import { OpDomainError, QuantizeError } from './errors.js';
import { bitsFor, linBound, linComb, linConst, linSig, type Bound, type Lin, type Sig } from './lin.js';
import type { QTensor } from './lower.js';
import type { Gadget } from './program.js';
import { minOf } from '../extrema.js';

/**
 * Lowerings of division by a computed tensor, Exp, Softmax, LogSoftmax, Log, Tan, Sin, Cos, and Gemm / Conv with two
 * computed operands (docs/zkml-compile.md "Division, Exp, Softmax, LogSoftmax", "Log", "Tan", "Sin and Cos"). They are composed from the `div`
 * gadget, the `exp16` / `log17` / `sin` / `cos` activation tables, relus and products; lower.ts calls `lowerNonlinear`
 * first for every node and keeps its own lowering when this returns undefined.
 */

/** What these lowerings use of the lowering context (lower.ts's Lowerer). */
export interface NonlinearHost {
  readonly s: number;
  readonly bounds: Bound[];
  readonly gadgets: Gadget[];
  node(): string;
  sig(b: Bound): Sig;
  /** Bit width that holds x's proven range (a QuantizeError beyond the field's safe width). */
  width(x: Lin, min?: number): number;
  mul(a: Lin, b: Lin): Lin;
  /** Activation table of x at scale sx; output at the table's own scale (activation.ts actOutputScale) + `extraOut` bits. */
  act(fn: ActFn, x: Lin, sx: number, extraOut?: number): { y: Lin; so: number };
  maxLin(a: Lin, b: Lin): Lin;
  toScale(t: QTensor, scale: number): QTensor;
  prepLinear(t: QTensor): QTensor;
  matmulVar(a: QTensor, b: QTensor): QTensor;
  unsupported(n: IRNode, why: string): never;
  /** max(0, x) for an integer x (one relu gadget; the same relu is shared). */
  relu(x: Lin): Lin;
  /** Values of `xs` on each calibration sample (exact emulation so far); undefined when compiled without samples. */
  calibrated(xs: Lin[]): bigint[][] | undefined;
}

type Operand = QTensor | Tensor | undefined;
const isQ = (x: Operand): x is QTensor => !!x && 'els' in x;
const pow2 = (k: number): bigint => 1n << BigInt(k);
const absMax = ([lo, hi]: Bound): bigint => (-lo > hi ? -lo : hi);
/** The exp16 / log17 tables read z in the window [−8, 8) (activation.ts ACT_FN). */
const WINDOW = 8;
/** LogSoftmax's direct log table covers sums S ∈ [1, 17): larger groups take logLin's range reduction. */
const LOG_MAX_GROUP = 16;
/** Fractional bits beyond s at which Log's range reduction reads its input (relative input error ≤ 2^−(s+3)/x). */
const LOG_IN_BITS = 2;
/** Tan: calibration inputs must stay this far (radians) from a pole (|tan| ≤ 10); the circuit accepts half of it. */
export const TAN_POLE_MARGIN = 0.1;
/** Fractional bits of Tan's output beyond the working scale (its floor division errs below one unit). */
const TAN_EXTRA = 2;
/** Extra output bits of Exp's table: exp(−12)·2^(so) still holds ≥ 2^8 units at s = 8. */
const EXP_EXTRA = 16;

function constQ(t: Tensor, scale: number): QTensor {
  return { shape: t.shape, scale, els: Array.from(t.data, (v) => linConst(BigInt(Math.round(v * 2 ** scale)))) };
}

/**
 * q with x = q·y + r, 0 ≤ r < |y| (one `div` gadget). `qBound` is what the quotient is range-checked to: by default
 * |q| ≤ max|x| / min|y| (+1); a lowering that knows a tighter honest bound (softmax: q ≤ 2^so + 1) passes it, and the
 * range check then enforces it.
 */
export function divLin(h: NonlinearHost, x: Lin, y: Lin, qBound?: Bound): Lin {
  const by = linBound(y, h.bounds), bx = linBound(x, h.bounds);
  const signed = by[0] < 0n;
  const my = absMax(by);
  const ny = Math.max(1, bitsFor([-my, my]) - 1); // |y| < 2^ny
  const minY = signed || by[0] < 1n ? 1n : by[0];
  const qm = absMax(bx) / minY + 1n;
  const qb: Bound = qBound ?? [-qm, qm];
  const nq = bitsFor(qb);
  h.width(x);
  if (nq + ny + 2 > 240) {
    throw new QuantizeError(`a division at node "${h.node()}" needs ${nq + ny + 2} bits, more than the field allows`, {
      hint: 'use a smaller --scale, or a calibration file with tighter input ranges',
    });
  }
  const out = h.sig(qb);
  h.gadgets.push({ kind: 'div', node: h.node(), x, y, ny, nq, signed, out });
  return linSig(out);
}

/**
 * a / b at scale s. A provably non-negative divisor rounds to nearest (x = 2a + b over y = 2b); a divisor that may be
 * negative floors (Euclidean: error below one unit of 2^−s). A zero divisor has no witness (a typed error naming the node).
 */
function divTensor(h: NonlinearHost, a: QTensor, b: QTensor): QTensor {
  const s = h.s;
  const e = s + b.scale - a.scale;
  const up = (t: QTensor, k: number): QTensor => (k <= 0 ? t : { ...t, els: t.els.map((v) => linComb([[pow2(k), v]])) });
  const A = up(a, e), B = up(b, -e);
  return elementwise(A, B, s, (x, y) => {
    if (linBound(y, h.bounds)[0] >= 0n) return divLin(h, linComb([[2n, x], [1n, y]]), linComb([[2n, y]]));
    return divLin(h, x, y);
  });
}

function elementwise(a: QTensor, b: QTensor, scale: number, f: (x: Lin, y: Lin) => Lin): QTensor {
  const { shape, ia, ib } = broadcast(a.shape, b.shape);
  return { shape, scale, els: Array.from(ia, (ai, k) => f(a.els[ai]!, b.els[ib[k]!]!)) };
}

/**
 * exp(x) = exp(hi)·exp(x − hi) per element, hi = ⌈max x⌉ from its proven range: one exp16 table (x − hi ∈ [−16, 0)),
 * its output EXP_EXTRA bits finer than a bounded activation's so that small values keep a relative precision.
 */
function expTensor(h: NonlinearHost, x: QTensor): QTensor {
  const s = h.s, sx = x.scale;
  let so = 0;
  const els = x.els.map((e) => {
    const hiInt = linBound(e, h.bounds)[1];
    const hi = Math.ceil(Number(hiInt) / 2 ** sx);
    const r = h.act('exp16', linComb([[1n, e]], BigInt(WINDOW - hi) * pow2(sx)), sx, EXP_EXTRA);
    so = r.so;
    const k = BigInt(Math.round(Math.exp(hi) * 2 ** s));
    return linComb([[k, r.y]]);
  });
  return { shape: x.shape, scale: so + s, els };
}

/** Softmax / LogSoftmax per group: m = max, e_i = exp16(x_i − m), S = Σ e_i ≥ exp(0) (never 0 honestly). */
function softmax(h: NonlinearHost, n: IRNode, x: QTensor, log: boolean): QTensor {
  const sx = x.scale;
  const groups = softmaxGroups(x.shape, n.attrs);
  const out = new Array<Lin>(x.els.length);
  let scale = 0;
  for (const g of groups) {
    const m = g.slice(1).reduce((acc, i) => h.maxLin(acc, x.els[i]!), x.els[g[0]!]!);
    let so = 0;
    const ex = g.map((i) => {
      const r = h.act('exp16', linComb([[1n, x.els[i]!], [-1n, m]], BigInt(WINDOW) * pow2(sx)), sx);
      so = r.so;
      return r.y;
    });
    const S = linComb(ex.map((e) => [1n, e] as [bigint, Lin]));
    if (!log) {
      // y_i = round(e_i·2^so / S) at scale so: e_i ≤ S, so the quotient is at most 2^so + 1
      g.forEach((i, k) => { out[i] = divLin(h, linComb([[pow2(so + 1), ex[k]!], [1n, S]]), linComb([[2n, S]]), [0n, pow2(so) + 1n]); });
      scale = so;
      continue;
    }
    // up to 16 elements: log S = log17(S − 9)·log(17), the table reads z = S − 9 (S at scale so), output at scale
    // so2, times log 17 at s; more: logLin's range reduction (S ≥ e_max = the table's exp(0) = 2^so − 1)
    const l = g.length <= LOG_MAX_GROUP ? log17(h, S, so) : logLin(h, S, so, pow2(so) - 1n);
    scale = Math.max(sx, l.so);
    const logS = linComb([[pow2(scale - l.so), l.y]]);
    for (const i of g) out[i] = linComb([[pow2(scale - sx), linComb([[1n, x.els[i]!], [-1n, m]])], [-1n, logS]]);
  }
  return { shape: x.shape, scale, els: out };
}

/** ln of S·2^−sx for S proven in [1, 17)·2^sx: one log17 table (z = S − 9) times ln 17; output at scale so + s. */
function log17(h: NonlinearHost, S: Lin, sx: number): { y: Lin; so: number } {
  const l = h.act('log17', linComb([[1n, S]], -BigInt(1 + WINDOW) * pow2(sx)), sx);
  const lk = BigInt(Math.round(Math.log(17) * 2 ** h.s));
  return { y: linComb([[lk, l.y]]), so: l.so + h.s };
}

/**
 * ln of X·2^−sx for an integer X ∈ [lo, 2^N), lo ≥ 1, by range reduction (docs/zkml-compile.md "Log"): with the
 * steps b_j = [X ≥ 2^j] (a floor and a relu each; those below `lo` are known to be 1 and cost nothing), k = Σ b_j = ⌊log2 X⌋
 * and 2^−k = 1 − Σ_{j ≤ k} 2^−j is linear in the monotone steps, so the mantissa M = X·2^(N−1−k) ∈ [2^(N−1), 2^N)
 * is one product. ln x = (k − sx − 3)·ln 2 + ln(8m), m = M/2^(N−1) ∈ [1, 2), 8m from the log17 table (S ∈ [8, 16)).
 * The act gadget's decomposition of z = 8m − 9 range-checks M. Output at scale so + s.
 */
export function logLin(h: NonlinearHost, X: Lin, sx: number, lo: bigint): { y: Lin; so: number } {
  const hi = linBound(X, h.bounds)[1];
  const N = Math.max(hi.toString(2).length, 5); // X < 2^N; the table reads 8m at scale N − 4 ≥ 1
  // q_j = ⌊X / 2^j⌋ by halving (one floor each, the first from X at once), b_j = min(q_j, 1) = q_j − relu(q_j − 1)
  const floorDiv = (v: Lin, d: number): Lin => h.toScale({ shape: [1], scale: d, els: [linComb([[1n, v]], -pow2(d - 1))] }, 0).els[0]!;
  const steps: Lin[] = [];
  let q: Lin | undefined;
  for (let j = 1; j < N; j++) {
    if (pow2(j) <= lo) { steps.push(linConst(1n)); continue; }
    q = q === undefined ? floorDiv(X, j) : floorDiv(q, 1);
    steps.push(linBound(q, h.bounds)[1] <= 1n ? q : linComb([[1n, q], [-1n, h.relu(linComb([[1n, q]], -1n))]]));
  }
  const k = linComb(steps.map((b) => [1n, b] as [bigint, Lin]));
  const shift = linComb(steps.map((b, i) => [-pow2(N - 2 - i), b] as [bigint, Lin]), pow2(N - 1)); // 2^(N−1−k)
  const M = h.sig([pow2(N - 1), pow2(N) - 1n]);
  h.gadgets.push({ kind: 'mul', node: h.node(), a: X, b: shift, out: M });
  const l = log17(h, linSig(M), N - 4);
  const l2 = BigInt(Math.round(Math.LN2 * 2 ** l.so));
  return { y: linComb([[1n, l.y], [l2, k]], -BigInt(sx + 3) * l2), so: l.so };
}

/** Calibration values of `xs` as floats at scale sx (undefined without calibration samples). */
function calibratedFloats(h: NonlinearHost, xs: Lin[], sx: number): number[] | undefined {
  return h.calibrated(xs)?.flat().map((v) => Number(v) / 2 ** sx);
}

/**
 * Log of a positive tensor: one log17 table when its proven range lies in [1, 17), else logLin's range reduction over
 * whatever positive range it has. An input that may be below one unit (2^−sx) reads as 2^−sx (one relu); calibration
 * samples on which it is ≤ 0 are a typed error (docs/zkml-compile.md "Log").
 */
function logTensor(h: NonlinearHost, n: IRNode, xIn: QTensor): QTensor {
  const direct0 = xIn.els.every((e) => { const [lo, hi] = linBound(e, h.bounds); return lo >= pow2(xIn.scale) && hi < 17n * pow2(xIn.scale); });
  // the range reduction costs two relus per bit of X: read it at s + LOG_IN_BITS fractional bits (one rounding)
  const x = direct0 || xIn.scale <= h.s + LOG_IN_BITS ? xIn : h.toScale(xIn, h.s + LOG_IN_BITS);
  const sx = x.scale, one = pow2(sx);
  const direct = x.els.every((e) => { const [lo, hi] = linBound(e, h.bounds); return lo >= one && hi < 17n * one; });
  if (!direct) {
    const bad = (calibratedFloats(h, x.els, sx) ?? []).find((v) => v <= 0);
    if (bad !== undefined) {
      throw new OpDomainError(`Log at node "${n.name}" reads ${bad} on the calibration samples: log of a value ≤ 0 has no circuit`, {
        hint: 'keep Log\'s input positive (e.g. add a small constant), or calibrate with the inputs the model really sees',
      });
    }
  }
  let so = 0;
  const els = x.els.map((e) => {
    if (direct) { const r = log17(h, e, sx); so = r.so; return r.y; }
    const lo = linBound(e, h.bounds)[0];
    const X = lo >= 1n ? e : linComb([[1n, h.relu(linComb([[1n, e]], -1n))]], 1n); // max(X, 1)
    const r = logLin(h, X, sx, lo >= 1n ? lo : 1n);
    so = r.so;
    return r.y;
  });
  return { shape: x.shape, scale: so, els };
}

/**
 * Tan (docs/zkml-compile.md "Tan"): k ≈ x/π by one rescale (skipped when |x| < π/2 is proven), r = x − kπ ≈
 * [−π/2, π/2], tan x = sin r / cos r from the sin and cos tables and one signed `div`, output at scale s + TAN_EXTRA.
 * Its domain: every calibration input at least TAN_POLE_MARGIN from a pole (else a typed error); the quotient's range
 * check admits |tan| ≤ cot(TAN_POLE_MARGIN/2)-ish, so a prover input nearer a pole has no witness.
 */
function tanTensor(h: NonlinearHost, n: IRNode, x: QTensor): QTensor {
  const sx = x.scale;
  const poleDist = (v: number) => Math.PI / 2 - Math.abs(v - Math.PI * Math.round(v / Math.PI));
  const cal = calibratedFloats(h, x.els, sx);
  let dist: number;
  if (cal) {
    dist = minOf(cal.map(poleDist));
  } else {
    // without calibration: the proven range of each element, which must not contain a pole
    dist = minOf(x.els.map((e) => {
      const [lo, hi] = linBound(e, h.bounds).map((v) => Number(v) / 2 ** sx) as [number, number];
      const side = (v: number) => Math.floor((v - Math.PI / 2) / Math.PI);
      if (side(lo) !== side(hi)) h.unsupported(n, `Tan of an input whose proven range [${lo}, ${hi}] contains a pole: compile with --calibration samples to set its domain`);
      return Math.min(poleDist(lo), poleDist(hi));
    }));
  }
  if (dist < TAN_POLE_MARGIN) {
    throw new OpDomainError(`Tan at node "${n.name}" reads an input ${dist.toFixed(4)} from a pole (±π/2 + kπ) on the calibration samples; zkinfer's Tan needs at least ${TAN_POLE_MARGIN}`, {
      hint: 'Tan near a pole is unbounded: keep its input away from ±π/2 + kπ, or calibrate with the inputs the model really sees',
      details: { node: n.name, poleDistance: dist, margin: TAN_POLE_MARGIN },
    });
  }
  const t = h.s + TAN_EXTRA;
  const qm = BigInt(Math.ceil(2 ** t / Math.tan(dist / 2))) * 2n + 4n; // headroom for the tables' error near the pole
  const els = x.els.map((X) => {
    const { r, sr } = reducePi(h, X, sx);
    const sn = h.act('sin', r, sr), cs = h.act('cos', r, sr);
    return divLin(h, linComb([[pow2(t), sn.y]]), cs.y, [-qm, qm]);
  });
  return { shape: x.shape, scale: t, els };
}

/**
 * x = r + kπ with r ≈ [−π/2, π/2] at scale sr, inside the sin/cos tables' window |r| < 2 (docs/zkml-compile.md
 * "Tan"); k is absent when |x| < π/2 is proven (then r = x). Any integer k keeps tan(x − kπ) = tan x, and
 * sin / cos (x − kπ) = (−1)^k sin / cos x.
 */
function reducePi(h: NonlinearHost, X: Lin, sx: number): { r: Lin; sr: number; k?: Lin } {
  const xm = absMax(linBound(X, h.bounds));
  if (xm * 2n < BigInt(Math.round(Math.PI * 2 ** sx))) return { r: X, sr: sx };
  // k = round(x·C/2^m) with C = round(2^m/π) errs by ≤ 2^−17 for m = 16 + e (e bits hold |k|), and r = x·2^e −
  // k·round(π·2^(sx+e)) at scale sx + e errs by ≤ |k|·2^−(sx+e+1) ≤ 2^−(sx+1): r stays inside the tables' window
  // |r| < 2 for every input away from the poles
  const e = Math.max(0, Math.ceil(Math.log2(Number(xm) / 2 ** sx / Math.PI + 1)));
  const C = BigInt(Math.round(2 ** (16 + e) / Math.PI)), Pe = BigInt(Math.round(Math.PI * 2 ** (sx + e)));
  const k = h.toScale({ shape: [1], scale: sx + 16 + e, els: [linComb([[C, X]])] }, 0).els[0]!;
  return { r: linComb([[pow2(e), X], [-Pe, k]]), sr: sx + e, k };
}

/**
 * Sin and Cos (docs/zkml-compile.md "Sin and Cos"): x = r + kπ (reducePi), then (−1)^k times the sin / cos table of r.
 * The sign is 1 + 2p with p = k − 2·round(k/2) ∈ {0, −1} (one small rescale of k), applied by one product.
 */
function sinCosTensor(h: NonlinearHost, x: QTensor, fn: 'sin' | 'cos'): QTensor {
  let so = 0;
  const els = x.els.map((X) => {
    const { r, sr, k } = reducePi(h, X, x.scale);
    const y = h.act(fn, r, sr);
    so = y.so;
    if (!k) return y.y;
    const half = h.toScale({ shape: [1], scale: 1, els: [k] }, 0).els[0]!;
    // the rescale pins half = floor((k + 1)/2), so the sign is exactly ±1 and |out| ≤ |table| (interval arithmetic
    // over k and half would give a bound 4|k| times wider)
    const m = absMax(linBound(y.y, h.bounds)), out = h.sig([-m, m]);
    h.gadgets.push({ kind: 'mul', node: h.node(), a: linComb([[2n, k], [-4n, half]], 1n), b: y.y, out });
    return linSig(out);
  });
  return { shape: x.shape, scale: so, els };
}

function transpose2(t: QTensor): QTensor {
  const [r, c] = t.shape as [number, number];
  return { shape: [c, r], scale: t.scale, els: Array.from({ length: r * c }, (_, k) => t.els[(k % r) * c + Math.floor(k / r)]!) };
}

/** Gemm with A and B both computed: alpha·A'·B' (one product per multiply-add) + beta·C. */
function gemmVar(h: NonlinearHost, n: IRNode, ins: Operand[]): QTensor {
  const at = n.attrs;
  const num = (k: string, d: number) => (typeof at[k] === 'number' ? (at[k] as number) : d);
  let A = ins[0] as QTensor, B = ins[1] as QTensor;
  if (A.shape.length !== 2 || B.shape.length !== 2) h.unsupported(n, 'Gemm operands must be 2-D');
  if (num('transA', 0)) A = transpose2(A);
  if (num('transB', 0)) B = transpose2(B);
  let P = h.matmulVar(A, B);
  const alpha = num('alpha', 1), beta = num('beta', 1);
  if (alpha !== 1) {
    P = h.prepLinear(P);
    const k = BigInt(Math.round(alpha * 2 ** h.s));
    P = { shape: P.shape, scale: P.scale + h.s, els: P.els.map((e) => linComb([[k, e]])) };
  }
  const C = ins[2];
  if (!C || beta === 0) return P;
  let Cq: QTensor;
  if (isQ(C)) {
    Cq = C;
    if (beta !== 1) {
      const k = BigInt(Math.round(beta * 2 ** h.s));
      Cq = { shape: C.shape, scale: C.scale + h.s, els: C.els.map((e) => linComb([[k, e]])) };
    }
  } else {
    Cq = constQ({ shape: C.shape, data: C.data.map((v) => v * beta) }, P.scale);
  }
  const sc = Math.max(P.scale, Cq.scale);
  const Pq = h.toScale(P, sc), Cs = h.toScale(Cq, sc);
  // C broadcasts to [M, N]: a scalar, a row [N] / [1, N], a column [M, 1], or the full matrix
  const [M, N] = P.shape as [number, number];
  const cAt = (i: number, j: number): Lin => {
    const [cr, cc] = Cs.shape.length === 2 ? (Cs.shape as [number, number]) : Cs.shape.length === 1 ? [1, Cs.shape[0]!] : [1, 1];
    return Cs.els[(cr === 1 ? 0 : i) * cc + (cc === 1 ? 0 : j)]!;
  };
  const els: Lin[] = [];
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) els.push(linComb([[1n, Pq.els[i * N + j]!], [1n, cAt(i, j)]]));
  return { shape: [M, N], scale: sc, els };
}

/** Conv with X and W both computed (bias constant, computed or absent): one product per multiply-add. */
function convVar(h: NonlinearHost, n: IRNode, ins: Operand[]): QTensor {
  let X = ins[0] as QTensor, W = ins[1] as QTensor;
  if (X.scale + W.scale > 4 * h.s) { X = h.toScale(X, h.s); W = h.toScale(W, h.s); }
  const { shape, terms } = convTerms(X.shape, W.shape, n.attrs);
  const sc = X.scale + W.scale;
  const B = ins[2];
  const bias = B === undefined ? undefined : isQ(B) ? h.toScale(B, sc) : constQ(B, sc);
  const els = terms.map(({ m, pairs }) => linComb([
    ...pairs.map(([xi, wi]) => [1n, h.mul(X.els[xi]!, W.els[wi]!)] as [bigint, Lin]),
    ...(bias ? [[1n, bias.els[m]!] as [bigint, Lin]] : []),
  ]));
  return { shape, scale: sc, els };
}

/**
 * Lower `n` when it needs a gadget beyond lower.ts's own ops; undefined leaves the node to lower.ts (e.g. Div by a
 * constant, Gemm with constant weights).
 */
export function lowerNonlinear(h: NonlinearHost, n: IRNode, ins: Operand[], varIdx: number[]): QTensor[] | undefined {
  const x = ins[varIdx[0]!] as QTensor;
  switch (n.op) {
    case 'Div': {
      if (!isQ(ins[1])) return undefined;
      const a = isQ(ins[0]) ? ins[0] : constQ(ins[0] as Tensor, h.s);
      return [divTensor(h, a, ins[1])];
    }
    case 'Exp': return [expTensor(h, x)];
    case 'Softmax': return [softmax(h, n, x, false)];
    case 'LogSoftmax': return [softmax(h, n, x, true)];
    case 'Log': return [logTensor(h, n, x)];
    case 'Tan': return [tanTensor(h, n, x)];
    case 'Sin': return [sinCosTensor(h, x, 'sin')];
    case 'Cos': return [sinCosTensor(h, x, 'cos')];
    case 'Conv': return isQ(ins[0]) && isQ(ins[1]) ? [convVar(h, n, ins)] : undefined;
    case 'Gemm': return varIdx.length >= 2 && varIdx[0] === 0 && varIdx[1] === 1 ? [gemmVar(h, n, ins)] : undefined;
    default: return undefined;
  }
}
