import type { AttrValue } from './graph.js';
import { chargeModel, checkedSize, KernelError, MAX_TENSOR_ELEMENTS, sizeOf, stridesOf, tensor, TensorLimitError, type Tensor } from './tensor.js';
import { maxOf, minOf } from '../extrema.js';

export { KernelError } from './tensor.js';

export type Attrs = Record<string, AttrValue>;
export type Kernel = (inputs: Array<Tensor | undefined>, attrs: Attrs) => Tensor[];

function need(t: Tensor | undefined, what: string): Tensor {
  if (!t) throw new KernelError(`missing input ${what}`, false);
  return t;
}
const int = (a: Attrs, k: string, d: number): number => (typeof a[k] === 'number' ? (a[k] as number) : d);
const ints = (a: Attrs, k: string): number[] | undefined => (Array.isArray(a[k]) ? (a[k] as number[]) : undefined);
const float = (a: Attrs, k: string, d: number): number => (typeof a[k] === 'number' ? (a[k] as number) : d);
const normAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** Numpy-style broadcast of two shapes; returns the output shape and, per output element, the flat index into a and b. */
export function broadcast(sa: number[], sb: number[]): { shape: number[]; ia: Int32Array; ib: Int32Array } {
  const r = Math.max(sa.length, sb.length);
  const pa = [...new Array(r - sa.length).fill(1), ...sa];
  const pb = [...new Array(r - sb.length).fill(1), ...sb];
  const shape = pa.map((d, i) => {
    const e = pb[i]!;
    if (d !== e && d !== 1 && e !== 1) throw new KernelError(`shapes [${sa}] and [${sb}] do not broadcast`, false);
    return Math.max(d, e);
  });
  const n = checkedSize(shape);
  const ia = new Int32Array(n), ib = new Int32Array(n);
  const sta = stridesOf(pa), stb = stridesOf(pb);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < n; k++) {
    let a = 0, b = 0;
    for (let d = 0; d < r; d++) {
      if (pa[d] !== 1) a += idx[d]! * sta[d]!;
      if (pb[d] !== 1) b += idx[d]! * stb[d]!;
    }
    ia[k] = a; ib[k] = b;
    for (let d = r - 1; d >= 0; d--) { if (++idx[d]! < shape[d]!) break; idx[d] = 0; }
  }
  return { shape, ia, ib };
}

function binary(f: (x: number, y: number) => number): Kernel {
  return ([a, b]) => {
    const A = need(a, 'A'), B = need(b, 'B');
    const { shape, ia, ib } = broadcast(A.shape, B.shape);
    const out = tensor(shape);
    for (let k = 0; k < out.data.length; k++) out.data[k] = f(A.data[ia[k]!]!, B.data[ib[k]!]!);
    return [out];
  };
}

function unary(f: (x: number) => number): Kernel {
  return ([a]) => {
    const A = need(a, 'X');
    const out = tensor(A.shape);
    for (let k = 0; k < out.data.length; k++) out.data[k] = f(A.data[k]!);
    return [out];
  };
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Transpose with a permutation (default: reverse the axes). */
export function transpose(x: Tensor, perm?: number[]): Tensor {
  const r = x.shape.length;
  const p = perm ?? x.shape.map((_, i) => r - 1 - i);
  if (p.length !== r || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) throw new KernelError(`perm [${p}] is not a permutation of the ${r} axes of [${x.shape}]`, false);
  const shape = p.map((i) => x.shape[i]!);
  const out = tensor(shape);
  const st = stridesOf(x.shape);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let src = 0;
    for (let d = 0; d < r; d++) src += idx[d]! * st[p[d]!]!;
    out.data[k] = x.data[src]!;
    for (let d = r - 1; d >= 0; d--) { if (++idx[d]! < shape[d]!) break; idx[d] = 0; }
  }
  return out;
}

/** Whether at most a quarter of `d` is nonzero (a lowering probe): the kernels below then scatter from the nonzeros. */
function mostlyZeros(d: Float64Array): boolean {
  let nonzero = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) nonzero++;
  return nonzero * 4 < d.length;
}

/** Whether every value of `d` is finite; cached per array (the lowering multiplies by one weight array many times). */
const finiteCache = new WeakMap<Float64Array, boolean>();
function allFinite(d: Float64Array): boolean {
  let r = finiteCache.get(d);
  if (r === undefined) {
    r = true;
    for (let i = 0; i < d.length && r; i++) r = Number.isFinite(d[i]!);
    finiteCache.set(d, r);
  }
  return r;
}

/**
 * Batched matrix product with numpy MatMul semantics (1-D operands promoted and squeezed); `bTransposed`: b holds the
 * 2-D matrix transposed ([n, k], Gemm's transB), read in place. Each output sums its products in ascending k from 0,
 * skipping a zero of `a` when `b` is all finite (its products are then ±0, which leave such a sum unchanged: the same
 * floats as the full sum). A probe of the lowering is one nonzero (src/zkml/quantize/affine-probe.ts), so a
 * constant-linear layer's columns cost its weights once instead of once per input element.
 */
export function matmul(a: Tensor, b: Tensor, bTransposed = false): Tensor {
  const sa = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const sb = b.shape.length === 1 ? [b.shape[0]!, 1] : bTransposed ? [b.shape[1]!, b.shape[0]!] : b.shape;
  const m = sa[sa.length - 2]!, k = sa[sa.length - 1]!, k2 = sb[sb.length - 2]!, n = sb[sb.length - 1]!;
  if (k !== k2) throw new KernelError(`MatMul inner dimensions differ: [${a.shape}] x [${sb}]`, false);
  const { shape: batch, ia, ib } = broadcast(sa.slice(0, -2), sb.slice(0, -2));
  // the multiply-adds count against the size limit, as a Conv's do (docs/zkml-compile.md "Size limit")
  const macs = ia.length * m * k * n;
  if (macs > MAX_TENSOR_ELEMENTS) throw new TensorLimitError(macs, `the multiply-adds of MatMul [${a.shape}] x [${b.shape}]${bTransposed ? ' (B transposed)' : ''}`);
  chargeModel(macs, `the multiply-adds of MatMul [${a.shape}] x [${b.shape}]`);
  const out = tensor([...batch, m, n]);
  const o = out.data, ad = a.data, bd = b.data;
  let skipZeros: boolean | undefined;
  for (let bi = 0; bi < ia.length; bi++) {
    const ao = ia[bi]! * m * k, bo = ib[bi]! * k * n, oo = bi * m * n;
    for (let i = 0; i < m; i++) {
      const row = oo + i * n;
      for (let t = 0; t < k; t++) {
        const av = ad[ao + i * k + t]!;
        if (av === 0 && (skipZeros ??= allFinite(bd))) continue;
        if (bTransposed) for (let j = 0; j < n; j++) o[row + j]! += av * bd[bo + j * k + t]!;
        else for (let j = 0, bt = bo + t * n; j < n; j++) o[row + j]! += av * bd[bt + j]!;
      }
    }
  }
  let shape = out.shape;
  if (a.shape.length === 1) shape = [...shape.slice(0, -2), shape[shape.length - 1]!];
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  return { shape, data: out.data };
}

function gemm([a, b, c]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  let A = need(a, 'A');
  const B = need(b, 'B');
  if (A.shape.length !== 2 || B.shape.length !== 2) throw new KernelError('Gemm needs 2-D A and B', false);
  if (int(at, 'transA', 0)) A = transpose(A);
  const alpha = float(at, 'alpha', 1), beta = float(at, 'beta', 1);
  const y = matmul(A, B, int(at, 'transB', 0) !== 0);
  for (let i = 0; i < y.data.length; i++) y.data[i]! *= alpha;
  if (c) {
    const { ia, ib } = broadcast(y.shape, c.shape);
    const out = tensor(y.shape);
    for (let i = 0; i < out.data.length; i++) out.data[i] = y.data[ia[i]!]! + beta * c.data[ib[i]!]!;
    return [out];
  }
  return [y];
}

function reshapeTo(x: Tensor, shape: number[]): Tensor {
  if (sizeOf(shape) !== x.data.length) throw new KernelError(`cannot reshape [${x.shape}] to [${shape}]`, false);
  return { shape, data: x.data };
}

function reshape([x, s]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'data'), S = need(s, 'shape');
  const allowZero = int(at, 'allowzero', 0);
  const target = Array.from(S.data);
  if (target.some((d) => !Number.isInteger(d) || d < -1)) throw new KernelError(`shape [${target}] has an entry that is not an integer ≥ −1`, false);
  if (target.filter((d) => d === -1).length > 1) throw new KernelError(`shape [${target}] has more than one −1`, false);
  const shape = target.map((d, i) => {
    if (d !== 0 || allowZero) return d;
    if (i >= X.shape.length) throw new KernelError(`shape [${target}]: entry ${i} is 0 (copy) but the input [${X.shape}] has rank ${X.shape.length}`, false);
    return X.shape[i]!;
  });
  const neg = shape.indexOf(-1);
  if (neg >= 0) {
    const rest = sizeOf(shape.filter((d) => d !== -1));
    const inferred = rest === 0 ? NaN : X.data.length / rest;
    if (!Number.isInteger(inferred)) throw new KernelError(`cannot reshape [${X.shape}] (${X.data.length} elements) to [${target}]: the −1 dimension is not a whole number`, false);
    shape[neg] = inferred;
  }
  return [reshapeTo(X, shape)];
}

function flatten([x]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'input');
  const axis = normAxis(int(at, 'axis', 1), X.shape.length);
  return [reshapeTo(X, [sizeOf(X.shape.slice(0, axis)), sizeOf(X.shape.slice(axis))])];
}

/** Axes come from the attribute (opset < 13) or the second input (opset ≥ 13). */
function axesOf(at: Attrs, t: Tensor | undefined): number[] | undefined {
  return t ? Array.from(t.data) : ints(at, 'axes');
}

function squeeze([x, a]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'data');
  const axes = axesOf(at, a)?.map((v) => normAxis(v, X.shape.length));
  const shape = X.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
  if (axes && axes.some((i) => X.shape[i] !== 1)) throw new KernelError(`Squeeze of a non-1 axis in [${X.shape}]`, false);
  return [reshapeTo(X, shape)];
}

function unsqueeze([x, a]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'data');
  const axesRaw = axesOf(at, a);
  if (!axesRaw) throw new KernelError('Unsqueeze without axes', false);
  const r = X.shape.length + axesRaw.length;
  const axes = axesRaw.map((v) => normAxis(v, r)).sort((p, q) => p - q);
  const shape = [...X.shape];
  for (const ax of axes) shape.splice(ax, 0, 1);
  return [reshapeTo(X, shape)];
}

function concat(inputs: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const xs = inputs.filter((t): t is Tensor => t !== undefined);
  if (xs.length === 0) throw new KernelError('Concat has no inputs', false);
  const r = xs[0]!.shape.length;
  const axis = normAxis(int(at, 'axis', 0), r);
  if (!(axis >= 0 && axis < r)) throw new KernelError(`axis=${int(at, 'axis', 0)} out of range for rank ${r}`, false);
  for (const t of xs) {
    if (t.shape.length !== r || t.shape.some((d, i) => i !== axis && d !== xs[0]!.shape[i])) {
      throw new KernelError(`inputs [${xs[0]!.shape}] and [${t.shape}] differ outside axis ${axis}`, false);
    }
  }
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((s, t) => s + t.shape[axis]!, 0);
  const out = tensor(shape);
  const outer = sizeOf(shape.slice(0, axis));
  let o = 0;
  for (let i = 0; i < outer; i++) for (const t of xs) {
    const chunk = sizeOf(t.shape.slice(axis));
    out.data.set(t.data.subarray(i * chunk, (i + 1) * chunk), o);
    o += chunk;
  }
  return [out];
}

function gather([x, ind]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'data'), I = need(ind, 'indices');
  const axis = normAxis(int(at, 'axis', 0), X.shape.length);
  const outer = sizeOf(X.shape.slice(0, axis)), inner = sizeOf(X.shape.slice(axis + 1)), dim = X.shape[axis]!;
  const shape = [...X.shape.slice(0, axis), ...I.shape, ...X.shape.slice(axis + 1)];
  const out = tensor(shape);
  let o = 0;
  for (let i = 0; i < outer; i++) for (const raw of I.data) {
    const j = raw < 0 ? raw + dim : raw;
    if (j < 0 || j >= dim) throw new KernelError(`Gather index ${raw} out of range for axis size ${dim}`, false);
    out.data.set(X.data.subarray((i * dim + j) * inner, (i * dim + j + 1) * inner), o);
    o += inner;
  }
  return [out];
}

function slice(inputs: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(inputs[0], 'data');
  const r = X.shape.length;
  const starts = inputs[1] ? Array.from(inputs[1].data) : ints(at, 'starts')!;
  const ends = inputs[2] ? Array.from(inputs[2].data) : ints(at, 'ends')!;
  const axes = (inputs[3] ? Array.from(inputs[3].data) : ints(at, 'axes') ?? starts.map((_, i) => i)).map((a) => normAxis(a, r));
  const steps = inputs[4] ? Array.from(inputs[4].data) : starts.map(() => 1);
  const lo = X.shape.map(() => 0), step = X.shape.map(() => 1), cnt = [...X.shape];
  axes.forEach((ax, i) => {
    const d = X.shape[ax]!, st = steps[i]!;
    if (st === 0) throw new KernelError('Slice step 0', false);
    const clamp = (v: number, a: number, b: number) => Math.min(Math.max(v, a), b);
    let s = starts[i]!, e = ends[i]!;
    s = s < 0 ? s + d : s; e = e < 0 ? e + d : e;
    if (st > 0) { s = clamp(s, 0, d); e = clamp(e, 0, d); cnt[ax] = Math.max(0, Math.ceil((e - s) / st)); }
    else { s = clamp(s, 0, d - 1); e = clamp(e, -1, d - 1); cnt[ax] = Math.max(0, Math.ceil((s - e) / -st)); }
    lo[ax] = s; step[ax] = st;
  });
  const out = tensor(cnt);
  const stx = stridesOf(X.shape);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let src = 0;
    for (let d = 0; d < r; d++) src += (lo[d]! + idx[d]! * step[d]!) * stx[d]!;
    out.data[k] = X.data[src]!;
    for (let d = r - 1; d >= 0; d--) { if (++idx[d]! < cnt[d]!) break; idx[d] = 0; }
  }
  return [out];
}

function expand([x, s]: Array<Tensor | undefined>): Tensor[] {
  const X = need(x, 'input'), S = need(s, 'shape');
  checkedSize(Array.from(S.data)); // every entry a non-negative integer (and the shape itself within the limit)
  const { shape, ia } = broadcast(X.shape, Array.from(S.data));
  const out = tensor(shape);
  for (let k = 0; k < out.data.length; k++) out.data[k] = X.data[ia[k]!]!;
  return [out];
}

interface Window { kernel: number[]; strides: number[]; pads: number[]; dilations: number[]; outHW: number[] }

function window2d(x: Tensor, at: Attrs, kernel: number[]): Window {
  const autoPad = at['auto_pad'];
  if (typeof autoPad === 'string' && autoPad !== 'NOTSET' && autoPad !== 'VALID') throw new KernelError(`auto_pad=${autoPad}`);
  if (int(at, 'ceil_mode', 0)) throw new KernelError('ceil_mode=1');
  const strides = ints(at, 'strides') ?? [1, 1];
  const pads = ints(at, 'pads') ?? [0, 0, 0, 0];
  const dilations = ints(at, 'dilations') ?? [1, 1];
  // ONNX requires these positive (pads non-negative); a 0 stride would make the output unbounded (docs/zkml-compile.md "Refused models")
  const positive = (name: string, v: number[], n: number): void => {
    if (v.length !== n || v.some((d) => !Number.isInteger(d) || d < 1)) throw new KernelError(`${name} must be ${n} integers ≥ 1, got [${v}]`, false);
  };
  positive('kernel_shape', kernel, 2);
  positive('strides', strides, 2);
  positive('dilations', dilations, 2);
  if (pads.length !== 4 || pads.some((d) => !Number.isInteger(d) || d < 0)) throw new KernelError(`pads must be 4 integers ≥ 0, got [${pads}]`, false);
  const [H, W] = [x.shape[2]!, x.shape[3]!];
  const outHW = [0, 1].map((i) => Math.floor(([H, W][i]! + pads[i]! + pads[i + 2]! - dilations[i]! * (kernel[i]! - 1) - 1) / strides[i]!) + 1);
  if (outHW.some((d) => !(d >= 1))) throw new KernelError(`the window (kernel [${kernel}], dilations [${dilations}]) does not fit the padded input [${x.shape}]: output [${outHW}]`, false);
  // the window work (one tap per output element and kernel position), bounded like a tensor: convTerms and pool list it
  const work = x.shape[0]! * x.shape[1]! * outHW[0]! * outHW[1]! * kernel[0]! * kernel[1]!;
  if (work > MAX_TENSOR_ELEMENTS) throw new TensorLimitError(work, `the window taps (input [${x.shape}], kernel [${kernel}], output [${outHW}])`);
  chargeModel(work, `the window taps (input [${x.shape}], kernel [${kernel}], output [${outHW}])`);
  return { kernel, strides, pads, dilations, outHW };
}

/**
 * For each output position of a 2-D window op over an NCHW tensor, the input flat indices it reads (−1 = padding).
 * Shared by Conv, MaxPool, AveragePool so the float model and the circuit read the same positions.
 */
export function windowTaps(shape: number[], w: Window, c: number, n: number, oy: number, ox: number): number[] {
  const [, C, H, W] = shape as [number, number, number, number];
  const taps: number[] = [];
  for (let ky = 0; ky < w.kernel[0]!; ky++) for (let kx = 0; kx < w.kernel[1]!; kx++) {
    const y = oy * w.strides[0]! - w.pads[0]! + ky * w.dilations[0]!;
    const x = ox * w.strides[1]! - w.pads[1]! + kx * w.dilations[1]!;
    taps.push(y < 0 || y >= H || x < 0 || x >= W ? -1 : ((n * C + c) * H + y) * W + x);
  }
  return taps;
}

export function convWindow(x: Tensor, w: Tensor, at: Attrs): Window {
  if (x.shape.length !== 4) throw new KernelError(`only 2-D Conv (NCHW) is supported, input is [${x.shape}]`);
  return window2d(x, at, ints(at, 'kernel_shape') ?? [w.shape[2]!, w.shape[3]!]);
}

export function poolWindow(x: Tensor, at: Attrs): Window {
  if (x.shape.length !== 4) throw new KernelError(`only 2-D pooling (NCHW) is supported, input is [${x.shape}]`);
  const k = ints(at, 'kernel_shape');
  if (!k || k.length !== 2) throw new KernelError('kernel_shape must have 2 entries', false);
  return window2d(x, at, k);
}

/**
 * The multiply-adds of a 2-D Conv: for each output element (row-major [N, M, OH, OW]) its output channel m and the
 * (input flat index, weight flat index) pairs it sums. Shared by the float kernel and the lowering of a Conv whose
 * weights are computed too (src/zkml/quantize/lower-nonlinear.ts), so both read the same positions.
 */
export function convTerms(xShape: number[], wShape: number[], at: Attrs): { shape: number[]; terms: Array<{ m: number; pairs: Array<[number, number]> }> } {
  const win = convWindow({ shape: xShape, data: new Float64Array(0) }, { shape: wShape, data: new Float64Array(0) }, at);
  const [N, C] = xShape as [number, number];
  const M = wShape[0]!, K = win.kernel[0]! * win.kernel[1]!;
  // grouped / depthwise: output channel m reads input channels [g·Cg, (g+1)·Cg) of its group g
  const group = int(at, 'group', 1), Cg = wShape[1]!;
  if (C !== group * Cg || M % group !== 0) throw new KernelError(`group=${group} does not divide ${C} input / ${M} output channels`, false);
  const Mg = M / group;
  const [OH, OW] = win.outHW as [number, number];
  const macs = N * M * OH * OW * Cg * K;
  if (macs > MAX_TENSOR_ELEMENTS) throw new TensorLimitError(macs, `the multiply-adds of Conv [${xShape}] * [${wShape}]`);
  chargeModel(macs, `the multiply-adds of Conv [${xShape}] * [${wShape}]`);
  const terms: Array<{ m: number; pairs: Array<[number, number]> }> = [];
  for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    const pairs: Array<[number, number]> = [];
    const c0 = Math.floor(m / Mg) * Cg;
    for (let c = 0; c < Cg; c++) {
      const taps = windowTaps(xShape, win, c0 + c, n, oy, ox);
      for (let t = 0; t < K; t++) if (taps[t]! >= 0) pairs.push([taps[t]!, (m * Cg + c) * K + t]);
    }
    terms.push({ m, pairs });
  }
  return { shape: [N, M, OH, OW], terms };
}

/**
 * A Conv node's multiply-adds (convTerms) and, made on first use, the same terms by input element (CSR over the
 * input: output, weight index), or null where some output does not read its inputs in ascending order (then the
 * scatter below could not add them in the gather's order). Made once per weight array, input shape and attributes:
 * the lowering runs one node's kernel once per probe.
 */
interface ConvPlan { key: string; shape: number[]; terms: Array<{ m: number; pairs: Array<[number, number]> }>; byInput?: { ptr: Int32Array; out: Int32Array; w: Int32Array } | null }
const convPlans = new WeakMap<Float64Array, ConvPlan>();

function convPlan(xShape: number[], Wt: Tensor, at: Attrs): ConvPlan {
  const key = `${xShape}|${Wt.shape}|${JSON.stringify(at)}`;
  let p = convPlans.get(Wt.data);
  if (p?.key !== key) convPlans.set(Wt.data, p = { key, ...convTerms(xShape, Wt.shape, at) });
  return p;
}

function byInput(nIn: number, terms: ConvPlan['terms']): ConvPlan['byInput'] {
  const ptr = new Int32Array(nIn + 1);
  for (const { pairs } of terms) {
    for (let q = 0; q < pairs.length; q++) {
      if (q > 0 && pairs[q]![0] <= pairs[q - 1]![0]) return null;
      ptr[pairs[q]![0] + 1]!++;
    }
  }
  for (let i = 0; i < nIn; i++) ptr[i + 1]! += ptr[i]!;
  const at = ptr.slice(0, nIn), out = new Int32Array(ptr[nIn]!), w = new Int32Array(ptr[nIn]!);
  terms.forEach(({ pairs }, o) => { for (const [xi, wi] of pairs) { out[at[xi]!] = o; w[at[xi]!++] = wi; } });
  return { ptr, out, w };
}

/**
 * Each output is its bias (or 0) plus its products in the order convTerms lists them (ascending input element).
 * An input that is mostly zeros — a lowering probe (src/zkml/quantize/affine-probe.ts) — is scattered from its
 * nonzeros instead: each output still adds its products in ascending input element, and the skipped ones are ±0
 * (weights all finite), which leave a sum unchanged unless it is −0, so not with a −0 bias: the same floats.
 */
function conv([x, w, b]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'X'), Wt = need(w, 'W');
  const plan = convPlan(X.shape, Wt, at);
  const out = tensor(plan.shape), xd = X.data, wd = Wt.data, od = out.data;
  if (mostlyZeros(xd) && allFinite(wd) && !(b && b.data.some((v) => Object.is(v, -0)))
    && (plan.byInput === undefined ? (plan.byInput = byInput(xd.length, plan.terms)) : plan.byInput)) {
    const { ptr, out: to, w: wi } = plan.byInput!;
    plan.terms.forEach(({ m }, o) => { od[o] = b ? b.data[m]! : 0; });
    for (let i = 0; i < xd.length; i++) {
      const v = xd[i]!;
      if (v !== 0) for (let q = ptr[i]!; q < ptr[i + 1]!; q++) od[to[q]!]! += v * wd[wi[q]!]!;
    }
    return [out];
  }
  plan.terms.forEach(({ m, pairs }, o) => {
    let s = b ? b.data[m]! : 0;
    for (const [xi, wi] of pairs) s += xd[xi]! * wd[wi]!;
    od[o] = s;
  });
  return [out];
}

function pool(kind: 'max' | 'avg'): Kernel {
  return ([x], at) => {
    const X = need(x, 'X');
    const win = poolWindow(X, at);
    if (kind === 'max' && ints(at, 'dilations')?.some((d) => d !== 1)) throw new KernelError('dilations');
    const countPad = int(at, 'count_include_pad', 0);
    const [N, C] = X.shape as [number, number];
    const [OH, OW] = win.outHW as [number, number];
    const out = tensor([N, C, OH, OW]);
    let o = 0;
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
      const taps = windowTaps(X.shape, win, c, n, oy, ox);
      const real = taps.filter((t) => t >= 0);
      if (kind === 'max') out.data[o++] = maxOf(real.map((t) => X.data[t]!));
      else out.data[o++] = real.reduce((s, t) => s + X.data[t]!, 0) / (countPad ? taps.length : real.length);
    }
    return [out];
  };
}

/**
 * GlobalAveragePool: each (n, c) plane summed in order from 0, then divided by its size. An input told its nonzeros (a
 * lowering probe, Tensor.nonzeros) is scattered from those: each plane still adds them in ascending order, and the
 * zeros it skips leave a sum that starts at +0 unchanged: the same floats.
 */
function globalAvgPool([x]: Array<Tensor | undefined>): Tensor[] {
  const X = need(x, 'X'), xd = X.data;
  const [N, C] = X.shape as [number, number];
  const hw = sizeOf(X.shape.slice(2));
  const out = tensor([N, C, ...X.shape.slice(2).map(() => 1)]), od = out.data;
  if (X.nonzeros) {
    for (const k of X.nonzeros) if (xd[k] !== 0) od[Math.floor(k / hw)]! += xd[k]!;
  } else {
    for (let i = 0; i < N * C; i++) {
      let s = 0;
      for (let j = 0; j < hw; j++) s += xd[i * hw + j]!;
      od[i] = s;
    }
  }
  for (let i = 0; i < N * C; i++) od[i] = od[i]! / hw;
  return [out];
}

/** The LSTM configuration a node uses, validated (default activations, no peepholes/clip). */
export interface LstmConfig { seq: number; batch: number; inputSize: number; hidden: number; layout: number; dirs: number; reverse: boolean[] }

/** LSTM (4 gates, activations sigmoid,tanh,tanh) or GRU (3 gates, sigmoid,tanh) configuration. */
export function lstmConfig(inputs: Array<Tensor | undefined>, at: Attrs, gates = 4): LstmConfig {
  const X = need(inputs[0], 'X'), W = need(inputs[1], 'W');
  const dir = at['direction'] ?? 'forward';
  if (dir !== 'forward' && dir !== 'reverse' && dir !== 'bidirectional') throw new KernelError(`direction=${String(dir)}`);
  const acts = at['activations'];
  const want = gates === 4 ? 'sigmoid,tanh,tanh,' : 'sigmoid,tanh,';
  if (Array.isArray(acts) && !new RegExp(`^(${want})+$`).test(acts.join(',').toLowerCase() + ',')) throw new KernelError(`activations=${acts.join(',')}`);
  if (at['clip'] !== undefined) throw new KernelError('clip');
  if (int(at, 'input_forget', 0)) throw new KernelError('input_forget=1');
  if (gates === 4 && inputs[7]) throw new KernelError('peephole weights P');
  const layout = int(at, 'layout', 0);
  const [seq, batch] = layout ? [X.shape[1]!, X.shape[0]!] : [X.shape[0]!, X.shape[1]!];
  const hidden = int(at, 'hidden_size', W.shape[1]! / gates);
  if (inputs[4]) {
    if (Array.from(inputs[4].data).some((l) => l !== seq)) throw new KernelError('sequence_lens shorter than the sequence');
  }
  const reverse = dir === 'bidirectional' ? [false, true] : [dir === 'reverse'];
  if (W.shape[0] !== reverse.length) throw new KernelError(`W has ${W.shape[0]} directions, direction=${String(dir)} needs ${reverse.length}`, false);
  return { seq, batch, inputSize: X.shape[2]!, hidden, layout, dirs: reverse.length, reverse };
}

/** Flat positions of Y[t, d, b, :] and Y_h/Y_c[d, b, :] for either layout (docs/zkml-compile.md, LSTM). */
export function lstmIndex(cfg: LstmConfig): { y: (t: number, d: number, b: number) => number; last: (d: number, b: number) => number; x: (t: number, b: number) => number } {
  const { seq, batch, inputSize: I, hidden: H, layout, dirs } = cfg;
  return {
    y: (t, d, b) => (layout ? ((b * seq + t) * dirs + d) * H : ((t * dirs + d) * batch + b) * H),
    last: (d, b) => (layout ? (b * dirs + d) * H : (d * batch + b) * H),
    x: (t, b) => (layout ? (b * seq + t) * I : (t * batch + b) * I),
  };
}

/** Output shapes [Y, Y_h, Y_c] of an LSTM. */
export function lstmShapes(cfg: LstmConfig): number[][] {
  const { seq, batch, hidden: H, layout, dirs } = cfg;
  return layout ? [[batch, seq, dirs, H], [batch, dirs, H], [batch, dirs, H]] : [[seq, dirs, batch, H], [dirs, batch, H], [dirs, batch, H]];
}

function lstm(inputs: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const cfg = lstmConfig(inputs, at);
  const { seq, batch, inputSize: I, hidden: H, dirs } = cfg;
  const X = inputs[0]!, W = inputs[1]!, R = need(inputs[2], 'R'), B = inputs[3];
  const h0 = inputs[5], c0 = inputs[6];
  const [Y, Yh, Yc] = lstmShapes(cfg).map((sh) => tensor(sh)) as [Tensor, Tensor, Tensor];
  const ix = lstmIndex(cfg);
  for (let d = 0; d < dirs; d++) for (let b = 0; b < batch; b++) {
    const h = new Float64Array(H), c = new Float64Array(H);
    for (let j = 0; j < H; j++) { h[j] = h0 ? h0.data[(d * batch + b) * H + j]! : 0; c[j] = c0 ? c0.data[(d * batch + b) * H + j]! : 0; }
    for (let step = 0; step < seq; step++) {
      const t = cfg.reverse[d] ? seq - 1 - step : step;
      const xo = ix.x(t, b);
      const g = new Float64Array(4 * H);
      for (let r = 0; r < 4 * H; r++) {
        let s = B ? B.data[d * 8 * H + r]! + B.data[d * 8 * H + 4 * H + r]! : 0;
        for (let k = 0; k < I; k++) s += W.data[(d * 4 * H + r) * I + k]! * X.data[xo + k]!;
        for (let k = 0; k < H; k++) s += R.data[(d * 4 * H + r) * H + k]! * h[k]!;
        g[r] = s;
      }
      for (let j = 0; j < H; j++) {
        const i = sigmoid(g[j]!), o = sigmoid(g[H + j]!), f = sigmoid(g[2 * H + j]!), cc = Math.tanh(g[3 * H + j]!);
        c[j] = f * c[j]! + i * cc;
        h[j] = o * Math.tanh(c[j]!);
      }
      Y.data.set(h, ix.y(t, d, b));
    }
    Yh.data.set(h, ix.last(d, b)); Yc.data.set(c, ix.last(d, b));
  }
  return [Y, Yh, Yc];
}

/**
 * GRU (ONNX semantics, gates z, r, h): z = σ(xWz + hRz + b), r = σ(xWr + hRr + b), h̃ = tanh(xWh + (r⊙h)Rh + b)
 * or, with linear_before_reset, tanh(xWh + r⊙(hRh + Rbh) + Wbh); h' = (1 − z)⊙h̃ + z⊙h.
 */
function gru(inputs: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const cfg = lstmConfig(inputs, at, 3);
  const { seq, batch, inputSize: I, hidden: H, dirs } = cfg;
  const X = inputs[0]!, W = inputs[1]!, R = need(inputs[2], 'R'), B = inputs[3], h0 = inputs[5];
  const lbr = int(at, 'linear_before_reset', 0) !== 0;
  const [Y, Yh] = lstmShapes(cfg).map((sh) => tensor(sh)) as [Tensor, Tensor];
  const ix = lstmIndex(cfg);
  const bias = (d: number, k: number) => (B ? B.data[d * 6 * H + k]! : 0);
  for (let d = 0; d < dirs; d++) for (let b = 0; b < batch; b++) {
    const h = new Float64Array(H);
    for (let j = 0; j < H; j++) h[j] = h0 ? h0.data[(d * batch + b) * H + j]! : 0;
    for (let step = 0; step < seq; step++) {
      const t = cfg.reverse[d] ? seq - 1 - step : step;
      const xo = ix.x(t, b);
      const xw = (r: number) => { let s = 0; for (let k = 0; k < I; k++) s += W.data[(d * 3 * H + r) * I + k]! * X.data[xo + k]!; return s; };
      const hr = (r: number, hv: ArrayLike<number>) => { let s = 0; for (let k = 0; k < H; k++) s += R.data[(d * 3 * H + r) * H + k]! * hv[k]!; return s; };
      const z = new Float64Array(H), rg = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        z[j] = sigmoid(xw(j) + hr(j, h) + bias(d, j) + bias(d, 3 * H + j));
        rg[j] = sigmoid(xw(H + j) + hr(H + j, h) + bias(d, H + j) + bias(d, 4 * H + j));
      }
      const rh = Float64Array.from(h, (v, k) => rg[k]! * v);
      const nh = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const pre = lbr ? xw(2 * H + j) + bias(d, 2 * H + j) + rg[j]! * (hr(2 * H + j, h) + bias(d, 5 * H + j))
          : xw(2 * H + j) + hr(2 * H + j, rh) + bias(d, 2 * H + j) + bias(d, 5 * H + j);
        const ht = Math.tanh(pre);
        nh[j] = (1 - z[j]!) * ht + z[j]! * h[j]!;
      }
      h.set(nh);
      Y.data.set(h, ix.y(t, d, b));
    }
    Yh.data.set(h, ix.last(d, b));
  }
  return [Y, Yh];
}

/** BatchNormalization in inference mode: y = (x − mean) / sqrt(var + ε) · scale + B over the channel axis 1. */
function batchNorm([x, sc, b, mean, v]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'X'), S = need(sc, 'scale'), B = need(b, 'B'), M = need(mean, 'input_mean'), V = need(v, 'input_var');
  if (int(at, 'training_mode', 0)) throw new KernelError('training_mode=1');
  const eps = float(at, 'epsilon', 1e-5);
  const C = X.shape[1] ?? 1, inner = sizeOf(X.shape.slice(2));
  const out = tensor(X.shape);
  for (let i = 0; i < X.data.length; i++) {
    const c = Math.floor(i / inner) % C;
    out.data[i] = ((X.data[i]! - M.data[c]!) / Math.sqrt(V.data[c]! + eps)) * S.data[c]! + B.data[c]!;
  }
  return [out];
}


/** Reduction groups: for each output element (row-major), the flat input indices it reduces over. */
export function reduceGroups(shape: number[], axesIn: number[] | undefined, keepdims: boolean): { shape: number[]; groups: number[][] } {
  const r = shape.length;
  const axes = new Set((axesIn && axesIn.length ? axesIn : shape.map((_, i) => i)).map((a) => normAxis(a, r)));
  const outFull = shape.map((d, i) => (axes.has(i) ? 1 : d));
  const groups = Array.from({ length: sizeOf(outFull) }, () => [] as number[]);
  const so = stridesOf(outFull);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < sizeOf(shape); k++) {
    let o = 0;
    for (let d = 0; d < r; d++) if (!axes.has(d)) o += idx[d]! * so[d]!;
    groups[o]!.push(k);
    for (let d = r - 1; d >= 0; d--) { if (++idx[d]! < shape[d]!) break; idx[d] = 0; }
  }
  return { shape: keepdims ? outFull : shape.filter((_, i) => !axes.has(i)), groups };
}

/**
 * Softmax / LogSoftmax groups: opset ≥ 13 normalizes along `axis` (default −1); older opsets (the importer marks them
 * with `coerce2d`) flatten to 2-D at `axis` (default 1) and normalize over every axis from it on.
 */
export function softmaxGroups(shape: number[], at: Attrs): number[][] {
  const r = shape.length;
  const old = int(at, 'coerce2d', 0) !== 0;
  const axis = normAxis(int(at, 'axis', old ? 1 : -1), r);
  if (axis < 0 || axis >= Math.max(r, 1)) throw new KernelError(`axis=${int(at, 'axis', 0)} out of range for rank ${r}`, false);
  const axes = old ? shape.map((_, i) => i).filter((i) => i >= axis) : [axis];
  return reduceGroups(shape, axes, true).groups;
}

function softmaxKernel(log: boolean): Kernel {
  return ([x], at) => {
    const X = need(x, 'input');
    const out = tensor(X.shape);
    for (const g of softmaxGroups(X.shape, at)) {
      const m = maxOf(g.map((i) => X.data[i]!));
      const sum = g.reduce((a, i) => a + Math.exp(X.data[i]! - m), 0);
      for (const i of g) out.data[i] = log ? X.data[i]! - m - Math.log(sum) : Math.exp(X.data[i]! - m) / sum;
    }
    return [out];
  };
}

/**
 * What a Reduce* node over an input of `shape` reduces: its output shape and, per output element, the input elements
 * of its group; undefined where it passes its input through (no axes and noop_with_empty_axes). The axes come from
 * the attribute (ReduceSum before opset 13, the others before 18) or the second input.
 */
export function reduceGroupsOf(shape: number[], a: Tensor | undefined, at: Attrs): { shape: number[]; groups: number[][] } | undefined {
  const axes = axesOf(at, a);
  if ((!axes || axes.length === 0) && int(at, 'noop_with_empty_axes', 0)) return undefined;
  const keepdims = int(at, 'keepdims', 1) !== 0;
  // the lowering probes one node many times over (src/zkml/quantize/affine-probe.ts): its groups are made once
  const key = `${shape}|${axes ?? ''}|${keepdims}`;
  if (lastGroups?.key !== key) lastGroups = { key, r: reduceGroups(shape, axes, keepdims) };
  return lastGroups.r;
}
let lastGroups: { key: string; r: ReduceGroups } | undefined;
type ReduceGroups = { shape: number[]; groups: number[][]; groupOf?: Int32Array };

function reduce(f: (xs: number[]) => number): Kernel {
  return ([x, a], at) => {
    const X = need(x, 'data');
    const r = reduceGroupsOf(X.shape, a, at);
    return r ? [tensor([...r.shape], r.groups.map((g) => f(g.map((i) => X.data[i]!))))] : [X];
  };
}

/**
 * ReduceSum / ReduceMean: each group's elements added in ascending order from 0 (then divided by the group's size).
 * A mostly-zero input (a lowering probe) is scattered from its nonzeros — those its `nonzeros` lists, without a scan of
 * the input, when set: each group still adds them in ascending order, and the zeros it skips leave a sum that starts at
 * +0 unchanged: the same floats.
 */
function reduceSum(mean: boolean): Kernel {
  return ([x, a], at) => {
    const X = need(x, 'data'), xd = X.data;
    const r: ReduceGroups | undefined = reduceGroupsOf(X.shape, a, at);
    if (!r) return [X];
    const out = tensor([...r.shape]), od = out.data;
    const nz = X.nonzeros;
    if (nz || mostlyZeros(xd)) {
      if (!r.groupOf) { const g = new Int32Array(xd.length); r.groups.forEach((grp, o) => { for (const i of grp) g[i] = o; }); r.groupOf = g; }
      const groupOf = r.groupOf;
      if (nz) for (const i of nz) { if (xd[i] !== 0) od[groupOf[i]!]! += xd[i]!; }
      else for (let i = 0; i < xd.length; i++) if (xd[i] !== 0) od[groupOf[i]!]! += xd[i]!;
    } else {
      r.groups.forEach((g, o) => { let s = 0; for (const i of g) s += xd[i]!; od[o] = s; });
    }
    if (mean) r.groups.forEach((g, o) => { od[o] = od[o]! / g.length; });
    return [out];
  };
}

/** Pad (opset ≥ 11: pads/constant_value/axes inputs; older: attributes). Negative pads crop. */
function pad([x, p, cv, ax]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'data');
  const r = X.shape.length;
  const mode = typeof at['mode'] === 'string' ? (at['mode'] as string) : 'constant';
  if (mode !== 'constant' && mode !== 'edge' && mode !== 'reflect') throw new KernelError(`mode=${mode}`);
  const raw = p ? Array.from(p.data) : ints(at, 'pads') ?? [];
  const axes = (ax ? Array.from(ax.data) : X.shape.map((_, i) => i)).map((a) => normAxis(a, r));
  const before = new Array<number>(r).fill(0), after = new Array<number>(r).fill(0);
  if (raw.length !== 2 * axes.length) throw new KernelError(`pads has ${raw.length} entries, expected ${2 * axes.length}`, false);
  axes.forEach((a, i) => { before[a] = raw[i]!; after[a] = raw[i + axes.length]!; });
  const value = cv && cv.data.length ? cv.data[0]! : float(at, 'value', 0);
  const shape = X.shape.map((d, i) => d + before[i]! + after[i]!);
  const out = tensor(shape);
  const st = stridesOf(X.shape);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let src = 0, inside = true;
    for (let d = 0; d < r; d++) {
      let j = idx[d]! - before[d]!;
      const n = X.shape[d]!;
      if (j < 0 || j >= n) {
        if (mode === 'constant') { inside = false; break; }
        if (mode === 'edge') j = j < 0 ? 0 : n - 1;
        else { if (n < 2) throw new KernelError('reflect pad of a size-1 axis', false); const per = 2 * (n - 1); j = ((j % per) + per) % per; if (j >= n) j = per - j; }
      }
      src += j * st[d]!;
    }
    out.data[k] = inside ? X.data[src]! : value;
    for (let d = r - 1; d >= 0; d--) { if (++idx[d]! < shape[d]!) break; idx[d] = 0; }
  }
  return [out];
}

function tile([x, rep]: Array<Tensor | undefined>): Tensor[] {
  const X = need(x, 'input'), R = Array.from(need(rep, 'repeats').data);
  if (R.length !== X.shape.length) throw new KernelError(`Tile repeats has ${R.length} entries for rank ${X.shape.length}`, false);
  const shape = X.shape.map((d, i) => d * R[i]!);
  const out = tensor(shape);
  const st = stridesOf(X.shape), r = shape.length;
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < out.data.length; k++) {
    let src = 0;
    for (let d = 0; d < r; d++) src += (idx[d]! % X.shape[d]!) * st[d]!;
    out.data[k] = X.data[src]!;
    for (let d = r - 1; d >= 0; d--) { if (++idx[d]! < shape[d]!) break; idx[d] = 0; }
  }
  return [out];
}

/** Split into `split` sizes (attribute before opset 13, input after) or equal parts (num_outputs / one per output). */
function split([x, sp]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const X = need(x, 'input');
  const axis = normAxis(int(at, 'axis', 0), X.shape.length);
  const dim = X.shape[axis]!;
  const n = int(at, 'num_outputs', 1); // the importer records the node's output count here
  const sizes = sp ? Array.from(sp.data) : ints(at, 'split') ?? Array.from({ length: n }, (_, i) => Math.min(Math.ceil(dim / n), Math.max(0, dim - i * Math.ceil(dim / n))));
  if (sizes.reduce((a, b) => a + b, 0) !== dim) throw new KernelError(`split sizes [${sizes}] do not add up to ${dim}`, false);
  let start = 0;
  return sizes.map((len) => {
    const out = slice([X, tensor([1], [start]), tensor([1], [start + len]), tensor([1], [axis])], {})[0]!;
    start += len;
    return out;
  });
}

const ELEM = { float: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, double: 11, uint32: 12, uint64: 13, bfloat16: 16 } as const;
/** ONNX element types Cast may target: the float ones keep the value, integer ones truncate toward zero, bool tests ≠ 0. */
export function castKind(to: number): 'float' | 'int' | 'bool' {
  if (to === ELEM.bool) return 'bool';
  if (to === ELEM.float || to === ELEM.double || to === ELEM.float16 || to === ELEM.bfloat16) return 'float';
  if (Object.values(ELEM).includes(to as never)) return 'int';
  throw new KernelError(`Cast to element type ${to}`);
}

function cast([x]: Array<Tensor | undefined>, at: Attrs): Tensor[] {
  const kind = castKind(int(at, 'to', ELEM.float));
  const X = need(x, 'input');
  if (kind === 'float') return [X];
  return [unary(kind === 'bool' ? (v) => (v !== 0 ? 1 : 0) : Math.trunc)([X], at)[0]!];
}

function variadic(f: (a: number, b: number) => number): Kernel {
  return (inputs, at) => {
    const xs = inputs.filter((t): t is Tensor => t !== undefined);
    if (xs.length === 0) throw new KernelError('no inputs', false);
    return [xs.slice(1).reduce((acc, t) => binary(f)([acc, t], at)[0]!, xs[0]!)];
  };
}

function where([c, a, b]: Array<Tensor | undefined>): Tensor[] {
  const C = need(c, 'condition'), A = need(a, 'X'), B = need(b, 'Y');
  const ab = broadcast(A.shape, B.shape);
  const { shape, ia: ic, ib: iab } = broadcast(C.shape, ab.shape);
  const out = tensor(shape);
  for (let k = 0; k < out.data.length; k++) out.data[k] = C.data[ic[k]!]! ? A.data[ab.ia[iab[k]!]!]! : B.data[ab.ib[iab[k]!]!]!;
  return [out];
}

/** Abramowitz–Stegun 7.1.26 is too coarse for a reference: erf by its Taylor series (|x| < 3) or continued fraction. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax < 3) {
    let term = x, sum = x;
    for (let n = 1; n < 200; n++) { term *= -(x * x) / n; const add = term / (2 * n + 1); sum += add; if (Math.abs(add) < 1e-17) break; }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction (Lentz) for the tail
  let f = ax, C = ax, D = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    D = ax + an * D; D = 1 / D;
    C = ax + an / C;
    const delta = C * D; f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}

export const hardSigmoid = (v: number, alpha: number, beta: number): number => Math.min(1, Math.max(0, alpha * v + beta));
export const gelu = (v: number): number => 0.5 * v * (1 + erf(v / Math.SQRT2));

/** Float reference kernels for every supported op. FOLD_ONLY ops are allowed only when all their inputs are constant. */
export const KERNELS: Record<string, Kernel> = {
  Add: binary((x, y) => x + y),
  Sub: binary((x, y) => x - y),
  Mul: binary((x, y) => x * y),
  Div: binary((x, y) => x / y),
  Relu: unary((x) => Math.max(0, x)),
  LeakyRelu: ([x], at) => unary((v) => (v >= 0 ? v : float(at, 'alpha', 0.01) * v))([x], at),
  Sigmoid: unary(sigmoid),
  Tanh: unary(Math.tanh),
  Identity: ([x]) => [need(x, 'input')],
  Dropout: ([x]) => [need(x, 'data')], // inference: identity (the mask output is not supported)
  BatchNormalization: batchNorm,
  Gemm: gemm,
  MatMul: ([a, b]) => [matmul(need(a, 'A'), need(b, 'B'))],
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Gather: gather,
  Slice: slice,
  Transpose: ([x], at) => [transpose(need(x, 'data'), ints(at, 'perm'))],
  Conv: conv,
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalAveragePool: globalAvgPool,
  LSTM: lstm,
  GRU: gru,
  Pad: pad,
  Tile: tile,
  Split: split,
  ReduceSum: reduceSum(false),
  ReduceMean: reduceSum(true),
  ReduceMax: reduce(maxOf),
  ReduceMin: reduce(minOf),
  Max: variadic(Math.max),
  Min: variadic(Math.min),
  Clip: ([x, lo, hi], at) => {
    const a = lo ? lo.data[0]! : float(at, 'min', -Infinity), b = hi ? hi.data[0]! : float(at, 'max', Infinity);
    return unary((v) => Math.min(b, Math.max(a, v)))([x], at);
  },
  Abs: unary(Math.abs),
  Neg: unary((v) => -v),
  Where: where,
  Equal: binary((x, y) => (x === y ? 1 : 0)),
  Less: binary((x, y) => (x < y ? 1 : 0)),
  Greater: binary((x, y) => (x > y ? 1 : 0)),
  LessOrEqual: binary((x, y) => (x <= y ? 1 : 0)),
  GreaterOrEqual: binary((x, y) => (x >= y ? 1 : 0)),
  Not: unary((v) => (v ? 0 : 1)),
  HardSigmoid: ([x], at) => unary((v) => hardSigmoid(v, float(at, 'alpha', 0.2), float(at, 'beta', 0.5)))([x], at),
  HardSwish: unary((v) => v * hardSigmoid(v, 1 / 6, 0.5)),
  Erf: unary(erf),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Tan: unary(Math.tan),
  Sin: unary(Math.sin),
  Cos: unary(Math.cos),
  Softmax: softmaxKernel(false),
  LogSoftmax: softmaxKernel(true),
  Gelu: ([x], at) => {
    if (typeof at['approximate'] === 'string' && at['approximate'] !== 'none') throw new KernelError(`approximate=${at['approximate']}`);
    return unary(gelu)([x], at);
  },
  Cast: cast,
  Expand: expand,
  // Fold-only: evaluated at compile time when their inputs are constant.
  ConstantOfShape: ([s], at) => {
    const S = need(s, 'input');
    const v = at['value'];
    const out = tensor(Array.from(S.data));
    out.data.fill(v && typeof v === 'object' && 'data' in v ? v.data[0]! : 0);
    return [out];
  },
  Range: ([a, b, d]) => {
    const s = need(a, 'start').data[0]!, e = need(b, 'limit').data[0]!, st = need(d, 'delta').data[0]!;
    if (![s, e, st].every(Number.isFinite)) throw new KernelError(`Range(${s}, ${e}, ${st}) has a non-finite argument`, false);
    if (st === 0) throw new KernelError('Range delta is 0', false);
    const n = Math.max(Math.ceil((e - s) / st), 0);
    const out = tensor([n]);
    for (let i = 0; i < n; i++) out.data[i] = s + i * st;
    return [out];
  },
};

/** Ops only allowed when every input is a compile-time constant (Shape is handled by the importer from static shapes). */
export const FOLD_ONLY = new Set(['ConstantOfShape', 'Range', 'Shape']);
