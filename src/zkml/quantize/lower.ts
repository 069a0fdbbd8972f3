import type { GraphIR, IRNode } from '../ir/graph.js';
import { broadcast, castKind, KERNELS, lstmConfig, lstmIndex, lstmShapes, poolWindow, reduceGroups, windowTaps, type Attrs } from '../ir/kernels.js';
import { optimizeGraph } from '../ir/rewrite.js';
import { iota, sizeOf, tensor, type Tensor } from '../ir/tensor.js';
import { UnsupportedOpError } from '../onnx/errors.js';
import { composeReads, moveReads, opReads, probeColumns, type ReadPattern } from './affine-probe.js';
import { actBounds, actOutputScale, buildActTable, type ActFn, type ActShape, type ActTable } from './activation.js';
import { QuantizeError } from './errors.js';
import { lowerNonlinear, type NonlinearHost } from './lower-nonlinear.js';
import { bitsFor, floorShift, isConstLin, linBound, linComb, linConst, linEval, linSig, type Bound, type Lin, type Sig } from './lin.js';
import { DEFAULT_PRECISION, PRESETS, type PrecisionPreset } from './precision.js';
import { balancedScale, linearUseWeight } from './tensor-scales.js';
import { runGadget, type FixedProgram, type Gadget } from './program.js';
import { toFixed } from '../fixed-point.js';
import { maxOf, minOf } from '../extrema.js';

/** A quantized tensor: one linear combination per element, all at `scale` fractional bits. */
export interface QTensor {
  shape: number[];
  els: Lin[];
  scale: number;
  /** Set when the tensor is exactly `apply(src)` for a constant-linear float function (so a next one can compose). */
  affine?: { src: QTensor; apply: (t: Tensor) => Tensor; reads?: ReadPattern };
  /**
   * Set on a tensor given its own calibrated scale (tensor-scales.ts): the constant weights it meets take the
   * difference to the working scale, so their products land where they would at the working scale.
   */
  own?: true;
}

export interface LowerOptions {
  /** Fractional bits of inputs, activations, weights and outputs. */
  scale: number;
  /** Per graph input: |round(v·2^scale)| < 2^rangeBits is enforced in-circuit. */
  inputRangeBits: number[];
  /** Apply the exact graph rewrites of ir/rewrite.ts first (default true). */
  optimize?: boolean;
  /** Activation tables and weight bits (default: the `balanced` preset, src/zkml/quantize/precision.ts). */
  precision?: PrecisionPreset;
  /**
   * Fractional bits of the public outputs: an output is rounded (or scaled up, free) to it. Default: each output keeps
   * its natural scale (no rescale spent on outputs), capped at 96 bits.
   */
  outputScale?: number;
  /**
   * Progress: graph nodes lowered of all nodes, reported after each node and every few thousand signals inside a
   * large one (docs/zkml-compile.md, "Progress").
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Calibration samples (one flat float array per graph input): ops with a domain (Tan, Log) check where their
   * inputs fall on them, through the exact emulation of the program built so far (lower-nonlinear.ts).
   */
  samples?: number[][][];
}

export interface LoweredModel {
  program: FixedProgram;
  scale: number;
  /** Per graph input: its fractional bits `scale` (the working scale unless given its own) and range bits. */
  inputs: Array<{ name: string; shape: number[]; offset: number; rangeBits: number; scale: number }>;
  /** ONNX op type of each lowered node, by node name. */
  nodeOps: Map<string, string>;
  outputs: Array<{ name: string; shape: number[]; offset: number; rangeBits: number; scale: number }>;
  /** Tensors (graph inputs and Relu outputs) given their own calibrated scale ≠ the working scale (tensor-scales.ts). */
  ownScales: Array<{ tensor: string; scale: number }>;
}

/** Widest decomposition allowed (the BN254 field holds 253 bits; leave room so nothing wraps). */
const MAX_BITS = 240;
/** Highest scale a value flowing straight to the outputs may keep (far below the field size). */
const MAX_FREE_SCALE = 96;
/** Highest scale of a public output (metadata's scaleBits limit, src/zkml/format/metadata.ts). */
export const MAX_OUTPUT_SCALE = 64;
/**
 * Extra offset bits of the o gate and tanh(c') on an LSTM's last step when its h flows unrescaled into the outputs
 * (docs/zkml-compile.md "LSTM precision"): free, since nothing decomposes their product.
 */
const LSTM_LAST_BITS = 2;
/** The last this many LSTM steps keep the full sigmoid gate tables under the preset's lstmEarlyJ. */
const LSTM_EARLY_KEEP = 3;
/** Activations whose table may take a calibrated window (fitWindow). */
const WINDOWED = new Set<ActFn>(['sigmoid', 'tanh', 'erf']);
/** Ops that are linear with constant weights or only move values: free in R1CS. */
const FREE_OPS = new Set(['Identity', 'Dropout', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Slice', 'Transpose', 'Gather',
  'Gemm', 'MatMul', 'Conv', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'Add', 'Sub', 'Mul', 'Div', 'Neg', 'Pad',
  'Tile', 'Expand', 'Split', 'Concat', 'ReduceSum', 'ReduceMean']);
/** Shape-only ops: each output element is one input element (or a constant), whatever the values. */
const MOVE_OPS = new Set(['Identity', 'Dropout', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Slice', 'Transpose', 'Expand',
  'Gather', 'Pad', 'Tile', 'Split']);
/** Ops that are constant-linear in their one model-dependent input. */
const AFFINE_OPS = new Set(['Gemm', 'MatMul', 'Conv', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'ReduceSum', 'ReduceMean']);

/** Lower the graph IR to a fixed-point program at one scale (weights are circuit constants). */
export function lowerGraph(graph: GraphIR, opts: LowerOptions): LoweredModel {
  return new Lowerer(opts.optimize === false ? graph : optimizeGraph(graph), opts).run();
}

type Operand = QTensor | Tensor | undefined;
const maxAbs = (t: Tensor): number => t.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const isQ = (x: Operand): x is QTensor => !!x && 'els' in x;

class Lowerer {
  readonly gadgets: Gadget[] = [];
  readonly bounds: Bound[] = [];
  readonly s: number;
  /** Largest fractional bits of a constant weight (weights ≥ 1 get fewer: same total bits, see weightScale). */
  readonly ws: number;
  readonly maxScale: number;
  readonly prec: PrecisionPreset;
  private node = '';
  private readonly tables = new Map<string, ActTable>();
  private readonly reluMemo = new Map<string, Lin>();

  private readonly consumers = new Map<string, IRNode[]>();
  private readonly freeMemo = new Map<string, boolean>();
  private current: IRNode | undefined;
  private nodesDone = 0;
  /** Fractional bits of each graph input (the working scale unless given its own: tensor-scales.ts). */
  private inScales: number[] = [];
  private readonly ownScales: LoweredModel['ownScales'] = [];

  constructor(readonly graph: GraphIR, readonly opts: LowerOptions) {
    this.s = opts.scale;
    this.prec = opts.precision ?? PRESETS[DEFAULT_PRECISION];
    this.ws = opts.scale + this.prec.weightBits;
    this.maxScale = 2 * opts.scale + this.ws;
    for (const n of graph.nodes) for (const i of n.inputs) if (i) this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
  }

  // ---- gadgets -------------------------------------------------------------------------------------------------
  private sig(b: Bound): Sig {
    this.bounds.push(b);
    if ((this.bounds.length & 0xfff) === 0) this.tick();
    return this.bounds.length - 1;
  }

  private width(x: Lin, min = 1): number {
    const n = Math.max(bitsFor(linBound(x, this.bounds)), min);
    if (n > MAX_BITS) {
      throw new QuantizeError(`a value at node "${this.node}" of model "${this.graph.name}" needs ${n} bits, more than the field allows`, {
        hint: 'use a smaller --scale, or a calibration file with tighter input ranges',
      });
    }
    return n;
  }

  /** Progress heartbeat inside a node (the reporter throttles it): nodes done so far, of all. */
  private tick(): void { this.opts.onProgress?.(this.nodesDone, this.graph.nodes.length); }

  mul(a: Lin, b: Lin): Lin {
    if (isConstLin(a)) return linComb([[a.c, b]]);
    if (isConstLin(b)) return linComb([[b.c, a]]);
    const [al, ah] = linBound(a, this.bounds), [bl, bh] = linBound(b, this.bounds);
    const ps = [al * bl, al * bh, ah * bl, ah * bh];
    const out = this.sig([ps.reduce((m, v) => (v < m ? v : m)), ps.reduce((m, v) => (v > m ? v : m))]);
    this.gadgets.push({ kind: 'mul', node: this.node, a, b, out });
    return linSig(out);
  }

  /** round(x / 2^d): floor((x + 2^(d−1)) / 2^d) — the half is a free constant, the floor is the Rescale gadget. */
  rescale(xIn: Lin, d: number): Lin {
    if (d === 0) return xIn;
    const x = linComb([[1n, xIn]], 1n << BigInt(d - 1));
    if (isConstLin(x)) return linConst(floorShift(x.c, d));
    const n = this.width(x, d + 1);
    const [lo, hi] = linBound(x, this.bounds);
    const out = this.sig([floorShift(lo, d), floorShift(hi, d)]);
    this.gadgets.push({ kind: 'rescale', node: this.node, x, n, d, out });
    return linSig(out);
  }

  /** max(0, round(x / 2^d)). The same relu of the same value is emitted once (comparisons share them). */
  relu(xIn: Lin, d: number): Lin {
    const x = d === 0 ? xIn : linComb([[1n, xIn]], 1n << BigInt(d - 1));
    if (isConstLin(x)) { const q = floorShift(x.c, d); return linConst(q > 0n ? q : 0n); }
    const key = `${d}|${x.c}|${[...x.terms].sort((p, q) => p[0] - q[0]).join(';')}`;
    const seen = this.reluMemo.get(key);
    if (seen) return seen;
    const r = this.reluGadget(x, d);
    this.reluMemo.set(key, r);
    return r;
  }

  private reluGadget(x: Lin, d: number): Lin {
    const n = this.width(x, d + 1);
    const hi = floorShift(linBound(x, this.bounds)[1], d);
    const out = this.sig([0n, hi > 0n ? hi : 0n]);
    this.gadgets.push({ kind: 'relu', node: this.node, x, n, d, out });
    return linSig(out);
  }

  table(fn: ActFn, st: number, so: number, shape: ActShape): ActTable {
    const key = `${fn}:${st}:${so}:${shape.k}:${shape.j}:${shape.c ?? ''}`;
    let t = this.tables.get(key);
    if (!t) { t = buildActTable(fn, st, so, shape); this.tables.set(key, t); }
    return t;
  }

  /**
   * Activation of x at scale sx; output at actOutputScale (t at scale st = min(s + the preset's offset bits +
   * `o.offsetExtra`, sx)), plus `extraOut` bits (Exp: lower-nonlinear.ts). Optionally also floor(x/2^qd) (then
   * st = sx − qd), or with `o.round` round(x/2^qd): the gadget reads x + 2^(qd−1) and its table is f shifted back by
   * half a step (docs/zkml-compile.md "LSTM precision"), so the activation itself is unchanged.
   */
  act(fn: ActFn, xIn: Lin, sx: number, qd?: number, extraOut = 0, o: { offsetExtra?: number; round?: boolean; jExtra?: number } = {}): { y: Lin; q?: Lin; so: number } {
    const st = qd !== undefined ? sx - qd : Math.min(this.s + (this.prec.act[fn].offsetBits ?? this.prec.offsetBits) + (o.offsetExtra ?? 0), sx);
    // a calibrated window keeps the preset table's output scale (callers such as the LSTM rely on one scale per fn)
    const so = actOutputScale(fn, st, this.s, this.prec.act[fn], this.prec.outBits) + extraOut;
    const fit = this.fitWindow(fn, xIn, sx, st) ?? this.prec.act[fn];
    const win = o.jExtra ? { ...fit, j: Math.max(0, fit.j + o.jExtra) } : fit; // segments 2^jExtra times narrower
    const half = qd !== undefined && o.round && qd >= 1 ? 2 ** -(st + 1) : 0;
    const shape = half ? { ...win, c: (win.c ?? 0) - half } : win;
    const table = this.table(fn, st, so, shape);
    // a calibrated window centred at c reads x − c (C a multiple of 2^(sx − st): the quotient q moves by C / 2^qd);
    // rounding adds half of q's step, which the quotient keeps
    const Cw = win.c ? BigInt(win.c * 2 ** sx) : 0n, C = Cw - (half ? 1n << BigInt(qd! - 1) : 0n);
    const x = C ? linComb([[1n, xIn]], -C) : xIn;
    const n = this.width(x, table.k + sx + 1);
    const out = this.sig(actBounds(table));
    const g: Gadget = { kind: 'act', node: this.node, x, n, sx, table, out };
    let q: Lin | undefined;
    if (qd !== undefined) {
      const [lo, hi] = linBound(x, this.bounds);
      const qs = this.sig([floorShift(lo, qd), floorShift(hi, qd)]);
      g.q = { d: qd, out: qs };
      q = Cw ? linComb([[1n, linSig(qs)]], Cw >> BigInt(qd)) : linSig(qs);
    }
    this.gadgets.push(g);
    return { y: linSig(out), so, ...(q ? { q } : {}) };
  }

  /**
   * A calibrated window for a sigmoid/tanh/erf of x (docs/zkml-compile.md "Calibrated activation windows"): when the
   * preset asks for it and calibration samples are given, the smallest window 2^k' < the preset's 2^k that covers
   * x's calibrated range widened by the preset's margin on each side, centred on the segment grid point nearest the
   * middle of that range. Its segments are the preset's (same width, same lines), so there are fewer selector
   * products; outside it the table saturates to f at its edges. Undefined: the preset's table.
   */
  private fitWindow(fn: ActFn, x: Lin, sx: number, st: number): ActShape | undefined {
    const margin = this.prec.windowMargin, base = this.prec.act[fn];
    if (!margin || !WINDOWED.has(fn) || isConstLin(x)) return undefined;
    const vals = this.calibrated([x]);
    if (!vals || vals.length < margin.minSamples) return undefined;
    const xs = vals.map((v) => Number(v[0]!) / 2 ** sx);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length, sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    const widen = margin.abs + margin.sd * sd;
    const lo = minOf(xs) - widen, hi = maxOf(xs) + widen;
    const w = 2 ** (base.k - base.j); // c on the segment grid: the segments keep their lines
    const c = Math.round((lo + hi) / 2 / w) * w;
    if (!Number.isInteger(c * 2 ** st)) return undefined; // the shift x − c must not cut into the offset's bits
    for (let k = base.k - base.j; k < base.k; k++) if (c - 2 ** k <= lo && hi < c + 2 ** k) return { ...base, k, j: base.j - (base.k - k), c };
    return undefined;
  }

  private nlHost: NonlinearHost | undefined;
  /** The context lower-nonlinear.ts lowers in (division, Exp, Softmax, LogSoftmax, Log, Gemm of two computed tensors). */
  private host(): NonlinearHost {
    return this.nlHost ??= {
      s: this.s, bounds: this.bounds, gadgets: this.gadgets, node: () => this.node,
      sig: (b) => this.sig(b), width: (x, min) => this.width(x, min), mul: (a, b) => this.mul(a, b),
      act: (fn, x, sx, extraOut) => this.act(fn, x, sx, undefined, extraOut), maxLin: (a, b) => this.maxLin(a, b), toScale: (t, sc) => this.toScale(t, sc),
      prepLinear: (t) => this.prepLinear(t), matmulVar: (a, b) => this.matmulVar(a, b), unsupported: (n, why) => this.unsupported(n, why),
      relu: (x) => this.relu(x, 0), calibrated: (xs) => this.calibrated(xs),
    };
  }

  /** Per calibration sample: the signal values of the gadgets emulated so far (extended as gadgets are added). */
  private calib: { values: bigint[][]; done: number } | undefined;
  /** Values of `xs` on each calibration sample (the exact emulation of the gadgets so far); undefined without samples. */
  private calibrated(xs: Lin[]): bigint[][] | undefined {
    const samples = this.opts.samples;
    if (!samples?.length) return undefined;
    this.calib ??= { values: samples.map((sm) => sm.flatMap((a, i) => a.map((v) => toFixed(v, this.inScales[i] ?? this.s)))), done: 0 };
    const c = this.calib;
    for (const v of c.values) for (let i = c.done; i < this.gadgets.length; i++) runGadget(this.gadgets[i]!, v);
    c.done = this.gadgets.length;
    return c.values.map((v) => xs.map((x) => linEval(x, v)));
  }

  // ---- tensors -------------------------------------------------------------------------------------------------
  constQ(t: Tensor, scale: number): QTensor {
    return { shape: t.shape, scale, els: Array.from(t.data, (v) => linConst(BigInt(Math.round(v * 2 ** scale)))) };
  }

  /**
   * Fractional bits of a constant-weight tensor whose largest |w| is `maxAbs`: s + the preset's weight bits, one fewer
   * per bit of integer part (weights ≥ 1), never below s — the total bits (and the accumulator width) stay bounded.
   */
  weightScale(maxAbs: number): number {
    const intBits = maxAbs >= 1 ? Math.floor(Math.log2(maxAbs)) + 1 : 0;
    return Math.max(this.s, this.ws - intBits);
  }

  /**
   * Fractional bits of constant weights (largest |w| = maxAbs) that multiply x: weightScale, plus the difference of a
   * tensor with its own scale to the working scale (tensor-scales.ts), so the products land where they would at s.
   */
  private weightsFor(x: QTensor, maxAbs: number): number {
    return Math.max(this.s, this.weightScale(maxAbs) + (x.own ? this.s - x.scale : 0));
  }

  /** Bring a tensor to `scale`: multiply up for free, or rescale down (costs range checks). */
  toScale(t: QTensor, scale: number): QTensor {
    if (t.scale === scale) return t;
    if (t.scale < scale) {
      const k = 1n << BigInt(scale - t.scale);
      return { shape: t.shape, scale, els: t.els.map((e) => linComb([[k, e]])) };
    }
    return { shape: t.shape, scale, els: t.els.map((e) => this.rescale(e, t.scale - scale)) };
  }

  /** Before multiplying by constants: keep scales (and so bit widths) bounded. */
  private prepLinear(t: QTensor): QTensor {
    // no rescale when the result only flows (through free ops) into graph outputs: outputs need no decomposition
    if (this.freeToOutput(this.current) && t.scale + this.ws <= MAX_FREE_SCALE) return t;
    return t.scale + this.ws > this.maxScale ? this.toScale(t, this.s) : t;
  }

  /**
   * True when every use of node `n`'s outputs is, through constant-linear and shape-only ops only, a graph output —
   * so its values never enter a decomposition and may stay at a high scale.
   */
  private freeToOutput(n: IRNode | undefined): boolean {
    if (!n) return false;
    const memo = this.freeMemo;
    const tensorFree = (t: string, depth: number): boolean => {
      if (memo.has(t)) return memo.get(t)!;
      let ok = true;
      for (const c of this.consumers.get(t) ?? []) {
        const constOthers = c.inputs.every((i) => i === '' || i === t || this.graph.constants.has(i));
        if (!FREE_OPS.has(c.op) || !constOthers || depth > 64) { ok = false; break; }
        if (!c.outputs.every((o) => o === '' || tensorFree(o, depth + 1))) { ok = false; break; }
      }
      memo.set(t, ok);
      return ok;
    };
    return n.outputs.every((o) => o === '' || tensorFree(o, 0));
  }

  private unsupported(n: IRNode, why: string): never {
    throw new UnsupportedOpError(n.op, n.name, this.graph.name, why);
  }

  /**
   * Map var tensors through a shape-only op by running its float kernel on element indices (every output). Element 0
   * of the index pool is Pad's constant, so a padded position reads the pad value at the tensor's scale.
   */
  private permute(n: IRNode, ins: Operand[], dataIdx: number[], index?: Tensor[]): QTensor[] {
    const scale = Math.max(...dataIdx.map((i) => (isQ(ins[i]) ? (ins[i] as QTensor).scale : 0)));
    const padValue = n.op === 'Pad' ? ((ins[2] as Tensor | undefined)?.data[0] ?? (typeof n.attrs['value'] === 'number' ? (n.attrs['value'] as number) : 0)) : 0;
    const pool: Lin[] = [this.constQ(tensor([], [padValue]), scale).els[0]!];
    const kin: Array<Tensor | undefined> = ins.map((x) => (isQ(x) ? undefined : x));
    for (const i of dataIdx) {
      const x = ins[i];
      const q = isQ(x) ? this.toScale(x, scale) : this.constQ(x as Tensor, scale);
      kin[i] = iota(q.shape, pool.length);
      pool.push(...q.els);
    }
    if (n.op === 'Pad') kin[2] = tensor([], [0]);
    const attrs = n.op === 'Pad' ? { ...n.attrs, value: 0 } : n.attrs;
    const outs = KERNELS[n.op]!(kin, attrs);
    index?.push(...outs);
    return outs.map((out) => ({ shape: out.shape, scale, els: Array.from(out.data, (k) => pool[k]!) }));
  }

  /**
   * The output of an op that is affine in its one var input `vi` (others constant): probed for its columns, many at
   * once where the op chain's read pattern is known (src/zkml/quantize/affine-probe.ts).
   */
  private affine(n: IRNode, ins: Operand[], vi: number, kernel = KERNELS[n.op]!): QTensor {
    const xin = ins[vi] as QTensor;
    const base = ins.map((t) => (isQ(t) ? undefined : t));
    const own = (t: Tensor) => { const a = [...base]; a[vi] = t; return kernel(a, n.attrs)[0]!; };
    // Consecutive constant-linear ops compose exactly in float: probe the composition over the earlier source,
    // so the weights are quantized once and the scale grows once (Conv → BatchNormalization, Gemm → Gemm, …).
    const x = xin.affine ? xin.affine.src : this.prepLinear(xin);
    const probe = xin.affine ? ((prev) => (t: Tensor) => own(prev(t)))(xin.affine.apply) : own;
    const ownReads = opReads(n.op, base, n.attrs, vi, xin.shape);
    const reads = ownReads && (xin.affine ? xin.affine.reads && composeReads(xin.affine.reads, ownReads) : ownReads);
    const { zero, cols, big } = probeColumns(probe, x.shape, reads, () => this.tick());
    // the composed weights are quantized once, at the scale their own range allows (the accumulator, bias included,
    // stays exact until the one rescale of the next nonlinearity)
    const w = this.weightsFor(x, big), scale = x.scale + w;
    const els = cols.map((c, i) => {
      const r: Array<[bigint, Lin]> = [];
      for (const [m, j] of c) { const k = BigInt(Math.round(m * 2 ** w)); if (k !== 0n) r.push([k, x.els[j]!]); }
      return linComb(r, BigInt(Math.round(zero.data[i]! * 2 ** scale)));
    });
    return { shape: zero.shape, scale, els, affine: { src: x, apply: probe, ...(reads ? { reads } : {}) } };
  }

  private elementwise(a: QTensor, b: QTensor, f: (x: Lin, y: Lin) => Lin, scale: number): QTensor {
    const { shape, ia, ib } = broadcast(a.shape, b.shape);
    return { shape, scale, els: Array.from(ia, (ai, k) => f(a.els[ai]!, b.els[ib[k]!]!)) };
  }

  private unary(x: QTensor, f: (e: Lin) => Lin, scale: number): QTensor {
    return { shape: x.shape, scale, els: x.els.map(f) };
  }

  // ---- ops -----------------------------------------------------------------------------------------------------
  private lowerNode(n: IRNode, ins: Operand[]): Array<QTensor | undefined> {
    const varIdx = ins.map((x, i) => (isQ(x) ? i : -1)).filter((i) => i >= 0);
    const nonlinear = lowerNonlinear(this.host(), n, ins, varIdx);
    if (nonlinear) return nonlinear;
    const one = (): QTensor => ins[varIdx[0]!] as QTensor;
    const s = this.s;
    switch (n.op) {
      case 'Identity': case 'Dropout': case 'Flatten': case 'Reshape': case 'Squeeze': case 'Unsqueeze':
      case 'Slice': case 'Transpose': case 'Expand': case 'Gather': case 'Pad': case 'Tile': case 'Split': {
        if (varIdx[0] !== 0 || varIdx.length !== 1) this.unsupported(n, n.op === 'Gather' ? 'indices must be constant' : 'only the data input may depend on the model input');
        const index: Tensor[] = [];
        const outs = this.permute(n, ins, [0], index);
        if ((ins[0] as QTensor).own) for (const o of outs) o.own = true;
        const prev = (ins[0] as QTensor).affine;
        if (prev && outs.length === 1) {
          const rest = ins.map((t) => (isQ(t) ? undefined : t));
          const reads = prev.reads && composeReads(prev.reads, moveReads((ins[0] as QTensor).els.length, index[0]!));
          outs[0]!.affine = {
            src: prev.src, apply: (t) => { const a = [...rest]; a[0] = prev.apply(t); return KERNELS[n.op]!(a, n.attrs)[0]!; }, ...(reads ? { reads } : {}),
          };
        }
        return outs;
      }
      case 'Concat':
        return this.permute(n, ins, ins.map((_, i) => i).filter((i) => ins[i] !== undefined));
      case 'MatMul':
        if (varIdx.length === 2) return [this.matmulVar(ins[0] as QTensor, ins[1] as QTensor)];
        return [this.affine(n, ins, varIdx[0]!)];
      case 'Gemm': case 'Conv': case 'AveragePool': case 'GlobalAveragePool': case 'BatchNormalization': case 'ReduceSum': case 'ReduceMean':
        if (varIdx.length !== 1) this.unsupported(n, 'products of two model-dependent tensors are not supported here; weights must be constant');
        if (n.op === 'Gemm' && varIdx[0] === 2) this.unsupported(n, 'C must be constant');
        return [this.affine(n, ins, varIdx[0]!)];
      case 'Add': case 'Sub': {
        const sign = n.op === 'Add' ? 1n : -1n;
        if (varIdx.length === 2) {
          const sc = Math.max(one().scale, (ins[1] as QTensor).scale);
          const a = this.toScale(ins[0] as QTensor, sc), b = this.toScale(ins[1] as QTensor, sc);
          return [this.elementwise(a, b, (x, y) => linComb([[1n, x], [sign, y]]), sc)];
        }
        const v = one(), c = this.constQ(ins[1 - varIdx[0]!] as Tensor, v.scale);
        const [a, b, sa, sb] = varIdx[0] === 0 ? [v, c, 1n, sign] : [c, v, 1n, sign];
        const y = this.elementwise(a, b, (x, z) => linComb([[sa, x], [sb, z]]), v.scale);
        return [v.own ? { ...y, own: true } : y]; // a constant shift keeps an own scale
      }
      case 'Mul': {
        if (varIdx.length === 2) {
          let a = ins[0] as QTensor, b = ins[1] as QTensor;
          if (a.scale + b.scale > 4 * s) { a = this.toScale(a, s); b = this.toScale(b, s); }
          return [this.elementwise(a, b, (x, y) => this.mul(x, y), a.scale + b.scale)];
        }
        const ct = ins[1 - varIdx[0]!] as Tensor, v = this.prepLinear(one()), w = this.weightsFor(v, maxAbs(ct)), c = this.constQ(ct, w);
        return [this.elementwise(v, c, (x, y) => linComb([[y.c, x]]), v.scale + w)];
      }
      case 'Div': {
        if (varIdx.length !== 1 || varIdx[0] !== 0) this.unsupported(n, 'only division by a constant is supported');
        const inv = ins[1] as Tensor;
        const recip = { shape: inv.shape, data: inv.data.map((d) => 1 / d) }, v = this.prepLinear(one());
        const w = this.weightsFor(v, maxAbs(recip)), c = this.constQ(recip, w);
        return [this.elementwise(v, c, (x, y) => linComb([[y.c, x]]), v.scale + w)];
      }
      case 'Relu': {
        const x = one(), own = this.reluScale(n, x), d = Math.max(0, x.scale - (own ?? s));
        const y = this.unary(x, (e) => this.relu(e, d), x.scale - d);
        return [own === undefined ? y : { ...y, own: true }];
      }
      case 'LeakyRelu': {
        const x = this.prepLinear(one());
        const alpha = typeof n.attrs['alpha'] === 'number' ? (n.attrs['alpha'] as number) : 0.01;
        const aq = BigInt(Math.round(alpha * 2 ** s));
        return [this.unary(x, (e) => linComb([[aq, e], [(1n << BigInt(s)) - aq, this.relu(e, 0)]]), x.scale + s)];
      }
      case 'Sigmoid': case 'Tanh': {
        const x = one();
        const fn = n.op === 'Sigmoid' ? 'sigmoid' : 'tanh';
        let so = 0;
        const els = x.els.map((e) => { const r = this.act(fn, e, x.scale); so = r.so; return r.y; });
        return [{ shape: x.shape, scale: els.length ? so : x.scale, els }];
      }
      case 'MaxPool': {
        const x = one();
        const win = poolWindow({ shape: x.shape, data: new Float64Array(0) }, n.attrs as Attrs);
        const [N, C] = x.shape as [number, number];
        const [OH, OW] = win.outHW as [number, number];
        const els: Lin[] = [];
        for (let b = 0; b < N; b++) for (let c = 0; c < C; c++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
          const taps = windowTaps(x.shape, win, c, b, oy, ox).filter((t) => t >= 0).map((t) => x.els[t]!);
          els.push(taps.slice(1).reduce((m, t) => linComb([[1n, t], [1n, this.relu(linComb([[1n, m], [-1n, t]]), 0)]]), taps[0]!));
        }
        return [{ shape: [N, C, OH, OW], scale: x.scale, els }];
      }
      case 'LSTM':
        return this.lstm(n, ins);
      case 'GRU':
        return this.gru(n, ins);
      default: {
        const out = this.lowerMore(n, ins, varIdx);
        if (out) return out;
        this.unsupported(n, 'no circuit lowering');
      }
    }
  }

  /**
   * A Relu output's own scale (tensor-scales.ts) when the preset asks for per-tensor scales, calibration samples are
   * given and every use of it is constant-linear: from the largest calibrated output, no finer than x's own scale
   * (the rescale only drops bits). Undefined: the working scale.
   */
  private reluScale(n: IRNode, x: QTensor): number | undefined {
    const w = this.prec.tensorScales ? linearUseWeight(this.graph, this.consumers, n.outputs[0]!) : undefined;
    const vals = w === undefined ? undefined : this.calibrated(x.els);
    if (!vals) return undefined;
    let m = 0;
    for (const v of vals) for (const e of v) if (e > 0n) m = Math.max(m, Number(e) / 2 ** x.scale);
    const sc = balancedScale(m, w!, this.s, this.weightScale(w!), x.scale);
    if (sc === this.s) return undefined;
    this.ownScales.push({ tensor: n.outputs[0]!, scale: sc });
    return sc;
  }

  /** max(a, b) = b + relu(a − b); min(a, b) = a − relu(a − b) (exact, one relu each). */
  private maxLin(a: Lin, b: Lin): Lin { return linComb([[1n, b], [1n, this.relu(linComb([[1n, a], [-1n, b]]), 0)]]); }
  private minLin(a: Lin, b: Lin): Lin { return linComb([[1n, a], [-1n, this.relu(linComb([[1n, a], [-1n, b]]), 0)]]); }
  /** Integer step: 1 when d ≥ 1, else 0 (= relu(d) − relu(d − 1) for integer d). */
  private step(d: Lin): Lin { return linComb([[1n, this.relu(d, 0)], [-1n, this.relu(linComb([[1n, d]], -1n), 0)]]); }

  /** Two operands (var or constant) at their common scale. */
  private pair(a: Operand, b: Operand): [QTensor, QTensor, number] {
    const sc = Math.max(isQ(a) ? a.scale : 0, isQ(b) ? b.scale : 0);
    const q = (x: Operand) => (isQ(x) ? this.toScale(x, sc) : this.constQ(x as Tensor, sc));
    return [q(a), q(b), sc];
  }

  /** A comparison of a and b as a 0/1 tensor at scale 0, from the integer difference d = a − b. */
  private compare(a: Operand, b: Operand, f: (d: Lin) => Lin): QTensor {
    const [qa, qb] = this.pair(a, b);
    return this.elementwise(qa, qb, (x, y) => f(linComb([[1n, x], [-1n, y]])), 0);
  }

  /** MatMul of two model-dependent tensors: one mul gadget per product, summed for free. */
  private matmulVar(a: QTensor, b: QTensor): QTensor {
    if (a.scale + b.scale > 4 * this.s) { a = this.toScale(a, this.s); b = this.toScale(b, this.s); }
    const ka = KERNELS['MatMul']!([iota(a.shape), iota(b.shape)], {})[0]!; // only for the output shape
    const sa = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape, sb = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
    const m = sa[sa.length - 2]!, k = sa[sa.length - 1]!, nn = sb[sb.length - 1]!;
    const { ia, ib } = broadcast(sa.slice(0, -2), sb.slice(0, -2));
    const els: Lin[] = [];
    for (let bi = 0; bi < ia.length; bi++) for (let i = 0; i < m; i++) for (let j = 0; j < nn; j++) {
      const parts: Array<[bigint, Lin]> = [];
      for (let t = 0; t < k; t++) parts.push([1n, this.mul(a.els[ia[bi]! * m * k + i * k + t]!, b.els[ib[bi]! * k * nn + t * nn + j]!)]);
      els.push(linComb(parts));
    }
    return { shape: ka.shape, scale: a.scale + b.scale, els };
  }

  /** Ops composed from range/mul/rescale/relu/act (docs/zkml-compile.md, op table). */
  private lowerMore(n: IRNode, ins: Operand[], varIdx: number[]): QTensor[] | undefined {
    const x = ins[varIdx[0]!] as QTensor;
    const s = this.s;
    const one = (sc: number) => 1n << BigInt(sc);
    switch (n.op) {
      case 'Neg': return [this.unary(x, (e) => linComb([[-1n, e]]), x.scale)];
      case 'Abs': return [this.unary(x, (e) => linComb([[2n, this.relu(e, 0)], [-1n, e]]), x.scale)];
      case 'Max': case 'Min': {
        const ops = ins.filter((t) => t !== undefined);
        const f = n.op === 'Max' ? this.maxLin.bind(this) : this.minLin.bind(this);
        let acc = ops[0]!;
        for (const t of ops.slice(1)) { const [a, b, sc] = this.pair(acc, t); acc = this.elementwise(a, b, f, sc); }
        return [acc as QTensor];
      }
      case 'Clip': {
        if (varIdx.length !== 1 || varIdx[0] !== 0) this.unsupported(n, 'min and max must be constant');
        const bound = (i: number, attr: string): bigint | undefined => {
          const t = ins[i] as Tensor | undefined;
          const v = t ? t.data[0] : typeof n.attrs[attr] === 'number' ? (n.attrs[attr] as number) : undefined;
          return v === undefined || !Number.isFinite(v) ? undefined : BigInt(Math.round(v * 2 ** x.scale));
        };
        const lo = bound(1, 'min'), hi = bound(2, 'max');
        // lo + relu(x − lo) − relu(x − hi): exact for integers, one relu per finite bound
        return [this.unary(x, (e) => {
          let y = lo === undefined ? e : linComb([[1n, this.relu(linComb([[1n, e]], -lo), 0)]], lo);
          if (hi !== undefined) y = linComb([[1n, y], [-1n, this.relu(linComb([[1n, e]], -hi), 0)]]);
          return y;
        }, x.scale)];
      }
      case 'Greater': return [this.compare(ins[0], ins[1], (d) => this.step(d))];
      case 'Less': return [this.compare(ins[0], ins[1], (d) => this.step(linComb([[-1n, d]])))];
      case 'GreaterOrEqual': return [this.compare(ins[0], ins[1], (d) => this.step(linComb([[1n, d]], 1n)))];
      case 'LessOrEqual': return [this.compare(ins[0], ins[1], (d) => this.step(linComb([[-1n, d]], 1n)))];
      case 'Equal': return [this.compare(ins[0], ins[1], (d) => linComb([[1n, this.step(linComb([[1n, d]], 1n))], [-1n, this.step(d)]]))];
      case 'Not': return [this.unary(x, (e) => linComb([[-1n, e]], one(x.scale)), x.scale)];
      case 'Cast': {
        const kind = castKind(typeof n.attrs['to'] === 'number' ? (n.attrs['to'] as number) : 1);
        if (kind === 'float') return [x];
        if (kind === 'bool') return [this.unary(x, (e) => linComb([[1n, this.step(e)], [1n, this.step(linComb([[-1n, e]]))]]), 0)];
        if (x.scale === 0) return [x];
        if (x.els.some((e) => linBound(e, this.bounds)[0] < 0n)) this.unsupported(n, 'Cast to an integer type of a possibly negative fractional tensor');
        // floor(x) for x ≥ 0 (= trunc): rescale rounds, so subtract the half first
        return [this.unary(x, (e) => this.rescale(linComb([[1n, e]], -(1n << BigInt(x.scale - 1))), x.scale), 0)];
      }
      case 'Where': {
        const [c, a, b] = ins;
        if (!isQ(c)) {
          // constant condition: a selection of elements, free
          const [qa, qb, sc] = this.pair(a, b);
          const pick = KERNELS['Where']!([c, iota(qa.shape, 0), iota(qb.shape, qa.els.length)], {})[0]!;
          const pool = [...qa.els, ...qb.els];
          return [{ shape: pick.shape, scale: sc, els: Array.from(pick.data, (k) => pool[k]!) }];
        }
        // b + c·(a − b), c ∈ {0, 1} at scale c.scale
        const [qa, qb, sc] = this.pair(a, b);
        const diff = this.elementwise(qa, qb, (u, v) => linComb([[1n, u], [-1n, v]]), sc);
        const prod = this.elementwise(c, diff, (u, v) => this.mul(u, v), sc + c.scale);
        return [this.elementwise(prod, this.toScale(qb, sc + c.scale), (u, v) => linComb([[1n, u], [1n, v]]), sc + c.scale)];
      }
      case 'ReduceMax': case 'ReduceMin': {
        const axes = ins[1] ? Array.from((ins[1] as Tensor).data) : (n.attrs['axes'] as number[] | undefined);
        const { shape, groups } = reduceGroups(x.shape, axes, n.attrs['keepdims'] !== 0);
        const f = n.op === 'ReduceMax' ? this.maxLin.bind(this) : this.minLin.bind(this);
        return [{ shape, scale: x.scale, els: groups.map((g) => g.slice(1).reduce((m, i) => f(m, x.els[i]!), x.els[g[0]!]!)) }];
      }
      case 'HardSigmoid': case 'HardSwish': {
        const alpha = n.op === 'HardSwish' ? 1 / 6 : typeof n.attrs['alpha'] === 'number' ? (n.attrs['alpha'] as number) : 0.2;
        const beta = n.op === 'HardSwish' ? 0.5 : typeof n.attrs['beta'] === 'number' ? (n.attrs['beta'] as number) : 0.5;
        const xs = this.prepLinear(x), zs = xs.scale + s, d = zs - s;
        const aq = BigInt(Math.round(alpha * 2 ** s)), bq = BigInt(Math.round(beta * 2 ** zs));
        // clip(z, 0, 1) = relu(z) − relu(z − 1), each rounded down to scale s
        const hs = this.unary(xs, (e) => { const z = linComb([[aq, e]], bq); return linComb([[1n, this.relu(z, d)], [-1n, this.relu(linComb([[1n, z]], -one(zs)), d)]]); }, s);
        if (n.op === 'HardSigmoid') return [hs];
        return [this.elementwise(xs, hs, (u, v) => this.mul(u, v), xs.scale + s)];
      }
      case 'Erf': {
        let so = 0;
        const els = x.els.map((e) => { const r = this.act('erf', e, x.scale); so = r.so; return r.y; });
        return [{ shape: x.shape, scale: els.length ? so : x.scale, els }];
      }
      case 'Gelu': {
        if (typeof n.attrs['approximate'] === 'string' && n.attrs['approximate'] !== 'none') this.unsupported(n, 'approximate=tanh');
        // x·(1 + erf(x/√2))/2: erf at scale x.scale + s, then one product
        const xs = this.prepLinear(x), r2 = BigInt(Math.round(Math.SQRT1_2 * 2 ** s));
        let so = 0;
        const g = xs.els.map((e) => { const r = this.act('erf', linComb([[r2, e]]), xs.scale + s); so = r.so; return linComb([[1n, r.y]], one(r.so)); });
        return [{ shape: x.shape, scale: xs.scale + so + 1, els: xs.els.map((e, i) => this.mul(e, g[i]!)) }];
      }
      default: return undefined;
        this.unsupported(n, 'no circuit lowering');
    }
  }

  private lstm(n: IRNode, ins: Operand[]): QTensor[] {
    if (!isQ(ins[0]) || ins.slice(1).some(isQ)) this.unsupported(n, 'W, R, B and initial states must be constant; X must be the model-dependent input');
    const kin = ins.map((x, i) => (i === 0 ? tensor((x as QTensor).shape) : (x as Tensor | undefined)));
    const cfg = lstmConfig(kin, n.attrs);
    const { seq, batch, inputSize: I, hidden: H, dirs } = cfg;
    const ix = lstmIndex(cfg);
    const s = this.s;
    // X at its own finer scale (the preset's lstmInBits, set on the graph input by inputScale) keeps it: W keeps its
    // bits and the gate sums are e bits finer (docs/zkml-compile.md "LSTM precision")
    const x0 = ins[0] as QTensor, e = x0.own && x0.scale > s ? x0.scale - s : 0;
    const X = this.toScale(x0, s + e);
    const q = (v: number, sc: number) => BigInt(Math.round(v * 2 ** sc));
    const W = (ins[1] as Tensor).data, R = (ins[2] as Tensor).data, B = ins[3] as Tensor | undefined;
    const h0 = ins[5] as Tensor | undefined, c0 = ins[6] as Tensor | undefined;
    const [shY, shH, shC] = lstmShapes(cfg) as [number[], number[], number[]];
    const Y = new Array<Lin>(sizeOf(shY)), Yh = new Array<Lin>(sizeOf(shH)), Yc = new Array<Lin>(sizeOf(shC));
    // W and R at one weight scale (gate sums at s + w, bias quantized at that scale: no rounding inside a gate sum);
    // the cell state c carries the preset's extra offset bits between steps, h is rescaled once per step to
    // s + the preset's lstmHBits and R quantized that many bits coarser, so R·h stays at s + w
    const w = this.weightScale(Math.max(maxAbs(ins[1] as Tensor), maxAbs(ins[2] as Tensor)));
    const sg = s + w + e, sc = Math.min(s + this.prec.offsetBits, s + w);
    const hb = this.prec.lstmHBits ?? 0, hs = s + hb;
    const Wq = Array.from(W, (v) => q(v, w)), Rq = Array.from(R, (v) => q(v, w - hb + e));
    // When Y and Y_h only flow into graph outputs, the last step's h is left at its product scale (one forward
    // direction only: then the last step is the last Y row).
    const lazyLast = dirs === 1 && !cfg.reverse[0] && this.freeToOutput({ ...n, outputs: n.outputs.slice(0, 2) });
    const ycUsed = !!n.outputs[2] && (this.consumers.has(n.outputs[2]) || this.graph.outputs.some((o) => o.name === n.outputs[2]));
    let hScale = 0;
    for (let d = 0; d < dirs; d++) for (let b = 0; b < batch; b++) {
      let h = Array.from({ length: H }, (_, j) => linConst(q(h0 ? h0.data[(d * batch + b) * H + j]! : 0, hs)));
      let c = Array.from({ length: H }, (_, j) => linConst(q(c0 ? c0.data[(d * batch + b) * H + j]! : 0, sc)));
      for (let step = 0; step < seq; step++) {
        const t = cfg.reverse[d] ? seq - 1 - step : step;
        const xo = ix.x(t, b);
        const gate = (r: number): Lin => {
          const parts: Array<[bigint, Lin]> = [];
          for (let k = 0; k < I; k++) parts.push([Wq[(d * 4 * H + r) * I + k]!, X.els[xo + k]!]);
          for (let k = 0; k < H; k++) parts.push([Rq[(d * 4 * H + r) * H + k]!, h[k]!]);
          const bias = B ? BigInt(Math.round((B.data[d * 8 * H + r]! + B.data[d * 8 * H + 4 * H + r]!) * 2 ** sg)) : 0n;
          return linComb(parts, bias); // scale s + w
        };
        const nh: Lin[] = [], nc: Lin[] = [];
        const last = step === seq - 1 && lazyLast;
        // the lazy last step's o and tanh(c') read LSTM_LAST_BITS more offset bits (so their outputs are that much
        // finer): their product is not rescaled, so this costs no constraint (docs/zkml-compile.md "LSTM precision")
        const lb = last ? LSTM_LAST_BITS : 0, lc = last && !ycUsed ? LSTM_LAST_BITS : 0;
        // the sigmoid gates of a step whose error passes ≥ LSTM_EARLY_KEEP more steps' forget gates may take the
        // preset's lstmEarlyJ fewer selector bits (docs/zkml-compile.md "LSTM precision")
        const early = step < seq - LSTM_EARLY_KEEP && this.prec.lstmEarlyJ ? { jExtra: -this.prec.lstmEarlyJ } : {};
        for (let j = 0; j < H; j++) {
          const si = this.act('sigmoid', gate(j), sg, undefined, 0, early); // gates at scale s + w
          const og = this.act('sigmoid', gate(H + j), sg, undefined, lb, { offsetExtra: lb, ...early });
          // a zero cell state (the first step without c0) makes f⊙c zero: no forget gate to compute
          const cPrev = c[j]!, f = isConstLin(cPrev) && cPrev.c === 0n ? linConst(0n) : this.act('sigmoid', gate(2 * H + j), sg, undefined, 0, early).y;
          const tg = this.act('tanh', gate(3 * H + j), sg);
          const sSig = si.so, sTanh = tg.so;
          // c' = f⊙c + i⊙g, aligned to the wider of the two product scales
          const fcScale = sSig + sc, igScale = sSig + sTanh, cs = Math.max(fcScale, igScale);
          const cNew = linComb([[1n << BigInt(cs - fcScale), this.mul(f, cPrev)], [1n << BigInt(cs - igScale), this.mul(si.y, tg.y)]]);
          // tanh(c') and c' itself rounded (the preset's lstmRoundC, else floored) to scale sc (a lazy last step whose c is
          // unused: sc + lc)
          const tc = this.act('tanh', cNew, cs, cs - sc - lc, 0, { round: !!this.prec.lstmRoundC, jExtra: last ? this.prec.lstmLastJ ?? 0 : 0 });
          nc.push(tc.q!);
          const prod = this.mul(og.y, tc.y);
          hScale = og.so + tc.so;
          // the last h only flows into outputs when lazy: keep the products unrescaled (saves H decompositions)
          nh.push(last ? prod : this.rescale(prod, hScale - hs)); // h = o⊙tanh(c') at scale hs
        }
        h = nh; c = nc;
        for (let j = 0; j < H; j++) Y[ix.y(t, d, b) + j] = h[j]!;
      }
      for (let j = 0; j < H; j++) { Yh[ix.last(d, b) + j] = h[j]!; Yc[ix.last(d, b) + j] = c[j]!; }
    }
    const yScale = lazyLast ? hScale : hs;
    if (lazyLast) {
      // bring the earlier (rescaled) steps up to the last step's scale: free multiplications
      const up = 1n << BigInt(yScale - hs);
      for (let t = 0; t < seq - 1; t++) for (let b = 0; b < batch; b++) for (let j = 0; j < H; j++) {
        const k = ix.y(t, 0, b) + j;
        Y[k] = linComb([[up, Y[k]!]]);
      }
    }
    return [{ shape: shY, scale: yScale, els: Y }, { shape: shH, scale: yScale, els: Yh }, { shape: shC, scale: sc, els: Yc }];
  }

  /** GRU (float reference: ir/kernels.ts gru): gates at scale s + w, h kept at scale s between steps. */
  private gru(n: IRNode, ins: Operand[]): QTensor[] {
    if (!isQ(ins[0]) || ins.slice(1).some(isQ)) this.unsupported(n, 'W, R, B and the initial state must be constant; X must be the model-dependent input');
    const kin = ins.map((x, i) => (i === 0 ? tensor((x as QTensor).shape) : (x as Tensor | undefined)));
    const cfg = lstmConfig(kin, n.attrs, 3);
    const { seq, batch, inputSize: I, hidden: H, dirs } = cfg;
    const ix = lstmIndex(cfg);
    const s = this.s;
    const lbr = typeof n.attrs['linear_before_reset'] === 'number' && n.attrs['linear_before_reset'] !== 0;
    const X = this.toScale(ins[0] as QTensor, s);
    const q = (v: number, sc = s) => BigInt(Math.round(v * 2 ** sc));
    const w = this.weightScale(Math.max(maxAbs(ins[1] as Tensor), maxAbs(ins[2] as Tensor))), sg = s + w; // gate sums at s + w
    const W = Array.from((ins[1] as Tensor).data, (v) => q(v, w)), R = Array.from((ins[2] as Tensor).data, (v) => q(v, w));
    const B = ins[3] as Tensor | undefined, h0 = ins[5] as Tensor | undefined;
    const bias = (d: number, k: number) => (B ? B.data[d * 6 * H + k]! : 0);
    const [shY, shH] = lstmShapes(cfg) as [number[], number[]];
    const Y = new Array<Lin>(sizeOf(shY)), Yh = new Array<Lin>(sizeOf(shH));
    for (let d = 0; d < dirs; d++) for (let b = 0; b < batch; b++) {
      let h = Array.from({ length: H }, (_, j) => linConst(q(h0 ? h0.data[(d * batch + b) * H + j]! : 0)));
      for (let step = 0; step < seq; step++) {
        const t = cfg.reverse[d] ? seq - 1 - step : step;
        const xo = ix.x(t, b);
        const xw = (r: number): Array<[bigint, Lin]> => Array.from({ length: I }, (_, k) => [W[(d * 3 * H + r) * I + k]!, X.els[xo + k]!]);
        const hr = (r: number, hv: Lin[]): Array<[bigint, Lin]> => Array.from({ length: H }, (_, k) => [R[(d * 3 * H + r) * H + k]!, hv[k]!]);
        const z: Lin[] = [], rg: Lin[] = [];
        let sSig = 0;
        for (let j = 0; j < H; j++) {
          const zz = this.act('sigmoid', linComb([...xw(j), ...hr(j, h)], q(bias(d, j) + bias(d, 3 * H + j), sg)), sg);
          rg.push(this.act('sigmoid', linComb([...xw(H + j), ...hr(H + j, h)], q(bias(d, H + j) + bias(d, 4 * H + j), sg)), sg).y);
          z.push(zz.y); sSig = zz.so;
        }
        // r⊙h back at scale s (one rescale per element) when the reset applies before the linear map
        const rh = lbr ? [] : h.map((hv, k) => this.rescale(this.mul(rg[k]!, hv), sSig));
        const nh: Lin[] = [];
        for (let j = 0; j < H; j++) {
          let pre: Lin;
          if (lbr) {
            const inner = linComb(hr(2 * H + j, h), q(bias(d, 5 * H + j), sg)); // scale s + w
            pre = linComb([...xw(2 * H + j), [1n, this.rescale(this.mul(rg[j]!, inner), sSig)]], q(bias(d, 2 * H + j), sg));
          } else {
            pre = linComb([...xw(2 * H + j), ...hr(2 * H + j, rh)], q(bias(d, 2 * H + j) + bias(d, 5 * H + j), sg));
          }
          const ht = this.act('tanh', pre, sg);
          // h' = h̃ + z⊙(h − h̃) at scale sSig + so, rescaled to s
          const diff = linComb([[1n << BigInt(ht.so - s), h[j]!], [-1n, ht.y]]);
          const hn = linComb([[1n << BigInt(sSig), ht.y], [1n, this.mul(z[j]!, diff)]]);
          nh.push(this.rescale(hn, sSig + ht.so - s));
        }
        h = nh;
        for (let j = 0; j < H; j++) Y[ix.y(t, d, b) + j] = h[j]!;
      }
      for (let j = 0; j < H; j++) Yh[ix.last(d, b) + j] = h[j]!;
    }
    return [{ shape: shY, scale: s, els: Y }, { shape: shH, scale: s, els: Yh }];
  }

  // ---- driver --------------------------------------------------------------------------------------------------
  run(): LoweredModel {
    const g = this.graph, s = this.s;
    const vals = new Map<string, QTensor>();
    const inputs: LoweredModel['inputs'] = [];
    let off = 0;
    this.inScales = g.inputs.map((vi, idx) => this.inputScale(vi.name, idx));
    g.inputs.forEach((vi, idx) => {
      // an input with its own scale accepts the same values: the same integer bits above its fraction
      const sc = this.inScales[idx]!, R = Math.max(1, this.opts.inputRangeBits[idx]! - s + sc);
      const n = sizeOf(vi.shape);
      const els: Lin[] = [];
      for (let k = 0; k < n; k++) els.push(linSig(this.sig([-(1n << BigInt(R)), (1n << BigInt(R)) - 1n])));
      inputs.push({ name: vi.name, shape: vi.shape, offset: off, rangeBits: R, scale: sc });
      off += n;
      vals.set(vi.name, { shape: vi.shape, scale: sc, els, ...(sc !== s ? { own: true as const } : {}) });
    });
    const nIn = off;
    g.inputs.forEach((vi, idx) => {
      this.node = `input:${vi.name}`;
      for (const e of vals.get(vi.name)!.els) this.gadgets.push({ kind: 'range', node: this.node, x: e, n: inputs[idx]!.rangeBits + 1 });
    });
    for (const n of g.nodes) {
      this.node = n.name;
      this.current = n;
      const ins: Operand[] = n.inputs.map((nm) => (nm === '' ? undefined : vals.get(nm) ?? g.constants.get(nm)));
      const outs = this.lowerNode(n, ins);
      n.outputs.forEach((o, i) => { if (o && outs[i]) vals.set(o, outs[i]!); });
      this.opts.onProgress?.(++this.nodesDone, g.nodes.length);
    }
    const outLins: Lin[] = [];
    const outputs: LoweredModel['outputs'] = [];
    for (const vi of g.outputs) {
      this.node = `output:${vi.name}`;
      // Outputs keep their natural scale (a public linear combination costs nothing) unless the caller asks for one;
      // only a scale beyond MAX_OUTPUT_SCALE is rounded down to it.
      const raw = vals.get(vi.name) ?? this.constQ(g.constants.get(vi.name)!, this.opts.outputScale ?? s);
      const t = this.toScale(raw, this.opts.outputScale ?? Math.min(raw.scale, MAX_OUTPUT_SCALE));
      let m = 0n;
      for (const e of t.els) { const [lo, hi] = linBound(e, this.bounds); for (const v of [lo, hi]) { const a = v < 0n ? -v : v; if (a > m) m = a; } }
      outputs.push({ name: vi.name, shape: vi.shape, offset: outLins.length, rangeBits: Math.max(1, m.toString(2).length), scale: t.scale });
      outLins.push(...t.els);
    }
    return {
      program: { nIn, nSignals: this.bounds.length, gadgets: this.gadgets, outputs: outLins, bounds: this.bounds },
      scale: s,
      inputs,
      nodeOps: new Map(g.nodes.map((n) => [n.name, n.op])),
      outputs,
      ownScales: this.ownScales,
    };
  }

  /**
   * A graph input's own scale: s + the preset's lstmInBits when its only uses are as an LSTM's X (docs/zkml-compile.md
   * "LSTM precision"), else from its calibrated range (tensor-scales.ts), else the working scale.
   */
  private inputScale(name: string, idx: number): number {
    const samples = this.opts.samples;
    const lstmIn = this.prec.lstmInBits ?? 0;
    const uses = this.consumers.get(name) ?? [];
    if (lstmIn > 0 && uses.length > 0 && uses.every((c) => c.op === 'LSTM' && c.inputs.indexOf(name) === 0 && c.inputs.lastIndexOf(name) === 0)
      && !this.graph.outputs.some((o) => o.name === name)) {
      return this.s + lstmIn; // a preset setting, not a calibrated own scale (not in ownScales)
    }
    const w = this.prec.tensorScales && samples?.length ? linearUseWeight(this.graph, this.consumers, name) : undefined;
    if (w === undefined) return this.s;
    let m = 0;
    for (const sm of samples!) for (const v of sm[idx]!) m = Math.max(m, Math.abs(v));
    const scale = balancedScale(m, w, this.s, this.weightScale(w));
    if (scale !== this.s) this.ownScales.push({ tensor: name, scale });
    return scale;
  }
}
