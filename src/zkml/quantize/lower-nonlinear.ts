import type { IRNode } from '../ir/graph.js';
import { broadcast, convTerms, softmaxGroups } from '../ir/kernels.js';
import type { Tensor } from '../ir/tensor.js';
import type { ActFn } from './activation.js';
import { QuantizeError } from './errors.js';
import { bitsFor, linBound, linComb, linConst, linSig, type Bound, type Lin, type Sig } from './lin.js';
import type { QTensor } from './lower.js';
import type { Gadget } from './program.js';

/**
 * Lowerings of division by a computed tensor, Exp, Softmax, LogSoftmax, Log, and Gemm / Conv with two computed operands
 * (docs/zkml-compile.md "Division, Exp, Softmax, LogSoftmax"). They are composed from the `div` gadget, the `exp16` /
 * `log17` activation tables and products; lower.ts calls `lowerNonlinear` first for every node and keeps its own
 * lowering when this returns undefined.
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
}

type Operand = QTensor | Tensor | undefined;
const isQ = (x: Operand): x is QTensor => !!x && 'els' in x;
const pow2 = (k: number): bigint => 1n << BigInt(k);
const absMax = ([lo, hi]: Bound): bigint => (-lo > hi ? -lo : hi);
/** The exp16 / log17 tables read z in the window [−8, 8) (activation.ts ACT_FN). */
const WINDOW = 8;
/** LogSoftmax's log table covers sums S ∈ [1, 17): at most this many elements per group. */
const LOG_MAX_GROUP = 16;
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
    if (log && g.length > LOG_MAX_GROUP) h.unsupported(n, `LogSoftmax over ${g.length} elements (at most ${LOG_MAX_GROUP}: its log table covers sums in [1, 17))`);
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
    // log S = log17(S − 9)·log(17): the table reads z = S − 9 (S at scale so), output at scale so2, times log 17 at s
    const l = h.act('log17', linComb([[1n, S]], -BigInt(1 + WINDOW) * pow2(so)), so);
    const lk = BigInt(Math.round(Math.log(17) * 2 ** h.s));
    const ls = l.so + h.s;
    scale = Math.max(sx, ls);
    const logS = linComb([[lk * pow2(scale - ls), l.y]]);
    for (const i of g) out[i] = linComb([[pow2(scale - sx), linComb([[1n, x.els[i]!], [-1n, m]])], [-1n, logS]]);
  }
  return { shape: x.shape, scale, els: out };
}

/** Log of a tensor proven to lie in [1, 17): the log17 table (other ranges are refused). */
function logTensor(h: NonlinearHost, n: IRNode, x: QTensor): QTensor {
  const sx = x.scale, one = pow2(sx);
  for (const e of x.els) {
    const [lo, hi] = linBound(e, h.bounds);
    if (lo < one || hi >= 17n * one) {
      h.unsupported(n, `Log needs an input proven to lie in [1, 17) (this one: [${Number(lo) / 2 ** sx}, ${Number(hi) / 2 ** sx}]); use LogSoftmax for log-probabilities`);
    }
  }
  const lk = BigInt(Math.round(Math.log(17) * 2 ** h.s));
  let so = 0;
  const els = x.els.map((e) => { const r = h.act('log17', linComb([[1n, e]], -BigInt(1 + WINDOW) * one), sx); so = r.so; return linComb([[lk, r.y]]); });
  return { shape: x.shape, scale: so + h.s, els };
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
    case 'Conv': return isQ(ins[0]) && isQ(ins[1]) ? [convVar(h, n, ins)] : undefined;
    case 'Gemm': return varIdx.length >= 2 && varIdx[0] === 0 && varIdx[1] === 1 ? [gemmVar(h, n, ins)] : undefined;
    default: return undefined;
  }
}
