// npm run bench:quantize — how long the lowering (quantizeGraph: import → fixed-point program) takes on layers whose
// columns are probed (docs/zkml-compile.md, "Quantizing large layers"): a PyTorch-style Linear (Gemm, transB), the
// same as MatMul, a pair of 3×3 Convs, a Conv → ReduceMean head, a small CNN, a ReduceSum over every element and a
// GlobalAveragePool head over 64 × 64. Each is also lowered with the plain kernels (every product summed on every
// probe, Conv's terms rebuilt per probe, Gemm's weights transposed per probe, a reduction scanning its whole input per
// probe: what the kernels did before) swapped into the same run, the ratio printed, and both programs checked equal.
// Options: --runs 3 (median of ours)   --models linear,matmul,conv8,rmean,cnn,rsum,gap64 (default: all; conv16 is minutes plain)
//          --no-baseline (ours only)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { quantizeGraph } from '../src/zkml/compile.js';
import { convTerms, KERNELS, transpose, type Kernel } from '../src/zkml/ir/kernels.js';
import { tensor, type Tensor } from '../src/zkml/ir/tensor.js';
import { importOnnx } from '../src/zkml/onnx/import.js';
import { OnnxBuilder } from '../src/zkml/onnx/write.js';
import { rand } from '../test/fixtures/onnx/models.js';

const arg = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const runs = Number(arg('runs', '3'));

function dense(kind: 'Gemm' | 'MatMul', k: number, m: number): Uint8Array {
  const b = new OnnxBuilder(kind);
  b.input('x', [1, k]);
  const h = kind === 'Gemm'
    ? b.node('Gemm', ['x', b.init('w1', [m, k], rand(1, k * m, 0.05)), b.init('b1', [m], rand(2, m, 0.1))], ['h'], { transB: 1 })
    : b.node('MatMul', ['x', b.init('w1', [k, m], rand(1, k * m, 0.05))], ['h']);
  const r = b.node('Relu', [h], ['r']);
  b.node('Gemm', [r, b.init('w2', [10, m], rand(3, 10 * m, 0.3)), b.init('b2', [10], rand(4, 10, 0.1))], ['y'], { transB: 1 });
  b.output('y', [1, 10]);
  return b.toBytes();
}

/** Conv(1→c) → Relu → Conv(c→c) → Relu (3×3, pad 1) on s×s, then GlobalAveragePool or ReduceMean over (2, 3), → Gemm. */
function convs(c: number, s: number, head: 'gap' | 'mean', second = true): Uint8Array {
  const b = new OnnxBuilder('conv');
  b.input('x', [1, 1, s, s]);
  let t = b.node('Conv', ['x', b.init('w1', [c, 1, 3, 3], rand(1, c * 9, 0.5)), b.init('b1', [c], rand(2, c, 0.1))], ['c1'], { pads: [1, 1, 1, 1] });
  t = b.node('Relu', [t], ['r1']);
  if (second) {
    t = b.node('Conv', [t, b.init('w2', [c, c, 3, 3], rand(3, c * c * 9, 0.3)), b.init('b2', [c], rand(4, c, 0.1))], ['c2'], { pads: [1, 1, 1, 1] });
    t = b.node('Relu', [t], ['r2']);
  }
  t = head === 'gap'
    ? b.node('Flatten', [b.node('GlobalAveragePool', [t], ['g'])], ['f'])
    : b.node('ReduceMean', [t], ['f'], { axes: [2, 3], keepdims: 0 });
  b.node('Gemm', [t, b.init('w3', [2, c], rand(5, 2 * c, 0.5))], ['y'], { transB: 1 });
  b.output('y', [1, 2]);
  return b.toBytes();
}

/** Conv(3→16) → Relu → MaxPool → Conv(16→32) → Relu → MaxPool → Flatten → Linear(2048→64) → Relu → Linear(64→10), 32×32. */
function cnn(): Uint8Array {
  const b = new OnnxBuilder('cnn');
  b.input('x', [1, 3, 32, 32]);
  let t = b.node('Conv', ['x', b.init('w1', [16, 3, 3, 3], rand(1, 16 * 27, 0.3)), b.init('b1', [16], rand(2, 16, 0.1))], ['c1'], { pads: [1, 1, 1, 1] });
  t = b.node('MaxPool', [b.node('Relu', [t], ['r1'])], ['p1'], { kernel_shape: [2, 2], strides: [2, 2] });
  t = b.node('Conv', [t, b.init('w2', [32, 16, 3, 3], rand(3, 32 * 144, 0.1)), b.init('b2', [32], rand(4, 32, 0.1))], ['c2'], { pads: [1, 1, 1, 1] });
  t = b.node('MaxPool', [b.node('Relu', [t], ['r2'])], ['p2'], { kernel_shape: [2, 2], strides: [2, 2] });
  t = b.node('Gemm', [b.node('Flatten', [t], ['f']), b.init('w3', [64, 2048], rand(5, 64 * 2048, 0.03)), b.init('b3', [64], rand(6, 64, 0.1))], ['g1'], { transB: 1 });
  b.node('Gemm', [b.node('Relu', [t], ['r3']), b.init('w4', [10, 64], rand(7, 640, 0.2)), b.init('b4', [10], rand(8, 10, 0.1))], ['y'], { transB: 1 });
  b.output('y', [1, 10]);
  return b.toBytes();
}

/** Relu over rows × cols values, then one ReduceSum over every element (a dense read: probed column by column). */
function fullSum(rows: number, cols: number): Uint8Array {
  const b = new OnnxBuilder('rsum');
  b.input('x', [1, rows, cols]);
  b.node('ReduceSum', [b.node('Relu', ['x'], ['r'])], ['y'], { keepdims: 0 });
  b.output('y', []);
  return b.toBytes();
}

const MODELS: Record<string, { what: string; bytes: () => Uint8Array }> = {
  linear: { what: 'Linear 4096→128 (Gemm transB) → Relu → 128→10', bytes: () => dense('Gemm', 4096, 128) },
  matmul: { what: 'MatMul 4096→128 → Relu → Gemm 128→10', bytes: () => dense('MatMul', 4096, 128) },
  conv8: { what: 'Conv 1→8 → Conv 8→8 (3×3, 32×32) → GAP → Gemm', bytes: () => convs(8, 32, 'gap') },
  conv16: { what: 'Conv 1→16 → Conv 16→16 (3×3, 32×32) → GAP → Gemm', bytes: () => convs(16, 32, 'gap') },
  rmean: { what: 'Conv 1→16 (3×3, 32×32) → ReduceMean(2,3) → Gemm', bytes: () => convs(16, 32, 'mean', false) },
  cnn: { what: 'CNN 3×32×32: 2 Conv + MaxPool, Linear 2048→64→10', bytes: cnn },
  rsum: { what: 'Relu → ReduceSum over all 40 × 500 values', bytes: () => fullSum(40, 500) },
  gap64: { what: 'Conv 1→16 (3×3, 64×64) → Relu → GAP → Gemm', bytes: () => convs(16, 64, 'gap', false) },
};

// The plain kernels: each output's products summed in order on every call (the same floats).
function plainMatmul(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.shape as [number, number], n = b.shape[1]!;
  const out = tensor([m, n]);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a.data[i * k + t]! * b.data[t * n + j]!;
    out.data[i * n + j] = s;
  }
  return out;
}
const PLAIN: Record<string, Kernel> = {
  MatMul: ([a, b]) => [plainMatmul(a!, b!)],
  Gemm: ([a, b, c], at) => {
    const y = plainMatmul(at['transA'] ? transpose(a!) : a!, at['transB'] ? transpose(b!) : b!);
    const alpha = (at['alpha'] as number | undefined) ?? 1, beta = (at['beta'] as number | undefined) ?? 1;
    for (let i = 0; i < y.data.length; i++) y.data[i]! *= alpha;
    if (c) for (let i = 0; i < y.data.length; i++) y.data[i] = y.data[i]! + beta * c.data[c.data.length === 1 ? 0 : i % c.data.length]!;
    return [y];
  },
  // what a probe of a reduction cost before it was told its nonzeros: a scan of every element
  ReduceSum: ((ours: Kernel): Kernel => ([x, a], at) => ours([{ shape: x!.shape, data: x!.data }, a], at))(KERNELS['ReduceSum']!),
  Conv: ([x, w, b], at) => {
    const { shape, terms } = convTerms(x!.shape, w!.shape, at);
    const out = tensor(shape);
    terms.forEach(({ m, pairs }, o) => { let s = b ? b.data[m]! : 0; for (const [xi, wi] of pairs) s += x!.data[xi]! * w!.data[wi]!; out.data[o] = s; });
    return [out];
  },
};

function lower(bytes: Uint8Array): { ms: number; fp: string; gadgets: number } {
  const t0 = performance.now();
  const low = quantizeGraph(importOnnx(bytes, 'bench'), 8, undefined);
  const ms = performance.now() - t0;
  const fp = createHash('sha256').update(JSON.stringify(low.program, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v))).digest('hex').slice(0, 16);
  return { ms, fp, gadgets: low.program.gadgets.length };
}

const names = arg('models', 'linear,matmul,conv8,rmean,cnn,rsum,gap64').split(',');
console.log('| model | gadgets | ours (median) | plain kernels | ratio |\n|---|---|---|---|---|');
for (const name of names) {
  const model = MODELS[name];
  if (!model) throw new Error(`unknown model ${name} (${Object.keys(MODELS).join(', ')})`);
  const bytes = model.bytes();
  const ours = Array.from({ length: runs }, () => lower(bytes));
  let plain: ReturnType<typeof lower> | undefined;
  if (!process.argv.includes('--no-baseline')) {
    const saved = { ...KERNELS };
    Object.assign(KERNELS, PLAIN);
    try { plain = lower(bytes); } finally { Object.assign(KERNELS, saved); }
    assert.equal(plain.fp, ours[0]!.fp, `${name}: the plain kernels lowered another program`);
  }
  const ms = median(ours.map((r) => r.ms));
  console.log(`| ${name}: ${model.what} | ${ours[0]!.gadgets} | ${(ms / 1000).toFixed(2)} s | ${plain ? `${(plain.ms / 1000).toFixed(2)} s` : '—'} | ${plain ? `${(plain.ms / ms).toFixed(1)}×` : '—'} |`);
}
