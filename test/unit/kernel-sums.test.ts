// The compiler's float sums of products (src/zkml/ir/kernels.ts): `matmul` skips the zeros of its left operand (so a
// lowering probe, one nonzero, costs one row of the weights) and reads Gemm's transB in place; Conv scatters a
// mostly-zero input from its nonzeros, and so do ReduceSum / ReduceMean. All must give bit for bit what the plain sum gives — the bias (or 0), then
// the products in order — including −0, NaN and infinities (non-finite weights or a −0 bias turn skipping off).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { convTerms, KERNELS, matmul, reduceGroups, transpose, type Attrs } from '../../src/zkml/ir/kernels.js';
import type { Tensor } from '../../src/zkml/ir/tensor.js';
import { maxOf, minOf } from '../../src/zkml/extrema.js';

/** The plain sum, per output: s = 0, then s += a[i][t]·b[t][j] for t = 0…k−1. */
function reference(a: number[][], b: number[][]): number[] {
  return a.flatMap((row) => b[0]!.map((_, j) => { let s = 0; row.forEach((v, t) => { s += v * b[t]![j]!; }); return s; }));
}

const value = (special: boolean) => fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5),
  fc.double({ min: -4, max: 4, noNaN: true }),
  ...(special ? [fc.constantFrom(Number.NaN, Infinity, -Infinity)] : []),
);
const matrix = (rows: number, cols: number, special: boolean) =>
  fc.array(fc.array(value(special), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
const tensorOf = (x: number[][]): Tensor => ({ shape: [x.length, x[0]!.length], data: Float64Array.from(x.flat()) });

test('matmul = the plain sum, bit for bit (zeros skipped, transB read in place), with and without non-finite values', () => {
  const cases = fc.record({ m: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 6 }), n: fc.integer({ min: 1, max: 4 }), special: fc.boolean() })
    .chain(({ m, k, n, special }) => fc.record({ a: matrix(m, k, special), b: matrix(k, n, special), transposed: fc.boolean() }));
  fc.assert(fc.property(cases, ({ a, b, transposed }) => {
    const want = reference(a, b);
    const B = tensorOf(b);
    const got = transposed ? matmul(tensorOf(a), transpose(B), true) : matmul(tensorOf(a), B);
    assert.deepEqual(got.shape, [a.length, b[0]!.length]);
    got.data.forEach((v, i) => assert.ok(Object.is(v, want[i]), `element ${i}: ${v}, the plain sum ${want[i]}`));
  }), { seed: 7, numRuns: 500 });
});

test('Conv = the plain sum in convTerms order, bit for bit, for mostly-zero and dense inputs (pads, strides, dilations, groups, −0 biases)', () => {
  const geometry = fc.record({
    n: fc.integer({ min: 1, max: 2 }), cg: fc.integer({ min: 1, max: 3 }), group: fc.integer({ min: 1, max: 2 }), mg: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 6 }), kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }), dil: fc.integer({ min: 1, max: 2 }), pad: fc.integer({ min: 0, max: 2 }),
    special: fc.boolean(), sparse: fc.boolean(), bias: fc.boolean(),
  }).filter((g) => g.h + 2 * g.pad >= (g.kh - 1) * g.dil + 1 && g.w + 2 * g.pad >= (g.kw - 1) * g.dil + 1);
  const cases = geometry.chain((g) => {
    const c = g.cg * g.group, m = g.mg * g.group;
    const x = g.sparse ? fc.oneof({ arbitrary: fc.constantFrom(0, -0), weight: 4 }, { arbitrary: value(g.special), weight: 1 }) : value(g.special);
    return fc.record({
      g: fc.constant(g),
      x: fc.array(x, { minLength: g.n * c * g.h * g.w, maxLength: g.n * c * g.h * g.w }),
      w: fc.array(value(g.special), { minLength: m * g.cg * g.kh * g.kw, maxLength: m * g.cg * g.kh * g.kw }),
      b: fc.array(value(g.special), { minLength: m, maxLength: m }),
    });
  });
  fc.assert(fc.property(cases, ({ g, x, w, b }) => {
    const c = g.cg * g.group, m = g.mg * g.group;
    const xShape = [g.n, c, g.h, g.w], wShape = [m, g.cg, g.kh, g.kw];
    const at: Attrs = { pads: [g.pad, g.pad, g.pad, g.pad], strides: [g.stride, g.stride], dilations: [g.dil, g.dil], group: g.group };
    const X: Tensor = { shape: xShape, data: Float64Array.from(x) }, W: Tensor = { shape: wShape, data: Float64Array.from(w) };
    const B: Tensor | undefined = g.bias ? { shape: [m], data: Float64Array.from(b) } : undefined;
    const { shape, terms } = convTerms(xShape, wShape, at);
    const want = terms.map(({ m: ch, pairs }) => { let s = B ? B.data[ch]! : 0; for (const [xi, wi] of pairs) s += X.data[xi]! * W.data[wi]!; return s; });
    for (let run = 0; run < 2; run++) { // the second run uses the plan the first one made
      const got = KERNELS['Conv']!([X, W, B], at)[0]!;
      assert.deepEqual(got.shape, shape);
      got.data.forEach((v, i) => assert.ok(Object.is(v, want[i]), `element ${i}: ${v}, the plain sum ${want[i]}`));
    }
  }), { seed: 11, numRuns: 400 });
});

test('ReduceSum / ReduceMean = each group summed in order from 0 (then / its size), bit for bit, sparse and dense, told its nonzeros or not', () => {
  const cases = fc.record({ shape: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }), special: fc.boolean(), sparse: fc.boolean(), keepdims: fc.boolean(), mean: fc.boolean() })
    .chain((c) => fc.record({
      c: fc.constant(c),
      axes: fc.subarray(c.shape.map((_, i) => i), { minLength: 1 }),
      x: fc.array(c.sparse ? fc.oneof({ arbitrary: fc.constantFrom(0, -0), weight: 4 }, { arbitrary: value(c.special), weight: 1 }) : value(c.special),
        { minLength: c.shape.reduce((p, d) => p * d, 1), maxLength: c.shape.reduce((p, d) => p * d, 1) }),
    }));
  fc.assert(fc.property(cases, ({ c, axes, x }) => {
    const X: Tensor = { shape: c.shape, data: Float64Array.from(x) };
    const { shape, groups } = reduceGroups(c.shape, axes, c.keepdims);
    const want = groups.map((g) => { let s = 0; for (const i of g) s += X.data[i]!; return c.mean ? s / g.length : s; });
    // the third run is told its nonzeros (Tensor.nonzeros, as a lowering probe is), a few zeros listed among them
    const nonzeros = Int32Array.from(x.flatMap((v, i) => (v !== 0 || i % 3 === 0 ? [i] : [])));
    for (let run = 0; run < 3; run++) {
      const got = KERNELS[c.mean ? 'ReduceMean' : 'ReduceSum']!([run === 2 ? { ...X, nonzeros } : X], { axes, keepdims: c.keepdims ? 1 : 0 })[0]!;
      assert.deepEqual(got.shape, shape);
      got.data.forEach((v, i) => assert.ok(Object.is(v, want[i]), `element ${i}: ${v}, the plain sum ${want[i]}`));
    }
  }), { seed: 13, numRuns: 400 });
});

test('GlobalAveragePool = each plane summed in order from 0, then / its size, bit for bit, told its nonzeros or not', () => {
  const cases = fc.record({ shape: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })), special: fc.boolean(), sparse: fc.boolean() })
    .chain((c) => fc.record({
      c: fc.constant(c),
      x: fc.array(c.sparse ? fc.oneof({ arbitrary: fc.constantFrom(0, -0), weight: 4 }, { arbitrary: value(c.special), weight: 1 }) : value(c.special),
        { minLength: c.shape.reduce((p, d) => p * d, 1), maxLength: c.shape.reduce((p, d) => p * d, 1) }),
    }));
  fc.assert(fc.property(cases, ({ c, x }) => {
    const X: Tensor = { shape: [...c.shape], data: Float64Array.from(x) };
    const hw = c.shape[2] * c.shape[3];
    const want = Array.from({ length: c.shape[0] * c.shape[1] }, (_, i) => { let s = 0; for (let j = 0; j < hw; j++) s += X.data[i * hw + j]!; return s / hw; });
    const nonzeros = Int32Array.from(x.flatMap((v, i) => (v !== 0 || i % 3 === 0 ? [i] : [])));
    for (const input of [X, { ...X, nonzeros }]) {
      const got = KERNELS['GlobalAveragePool']!([input], {})[0]!;
      assert.deepEqual(got.shape, [c.shape[0], c.shape[1], 1, 1]);
      got.data.forEach((v, i) => assert.ok(Object.is(v, want[i]), `element ${i}: ${v}, the plain sum ${want[i]}`));
    }
  }), { seed: 17, numRuns: 400 });
});

test('ReduceMax, ReduceMin, Softmax and MaxPool over 300,000 elements: the fold of Math.max / Math.min (a spread call overflowed the stack)', () => {
  const n = 300_000;
  const data = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)));
  let max = -Infinity, min = Infinity;
  for (const v of data) { max = Math.max(max, v); min = Math.min(min, v); }
  const row: Tensor = { shape: [1, n], data };
  assert.deepEqual([...KERNELS['ReduceMax']!([row], { axes: [1], keepdims: 1 })[0]!.data], [max]);
  assert.deepEqual([...KERNELS['ReduceMin']!([row], { axes: [1], keepdims: 1 })[0]!.data], [min]);
  assert.deepEqual([...KERNELS['MaxPool']!([{ shape: [1, 1, 1, n], data }], { kernel_shape: [1, n] })[0]!.data], [max]);
  let sum = 0;
  for (const v of data) sum += Math.exp(v - max);
  const soft = KERNELS['Softmax']!([row], { axis: 1 })[0]!.data;
  for (const i of [0, 1, data.indexOf(max), n - 1]) assert.equal(soft[i], Math.exp(data[i]! - max) / sum);
});

test('maxOf / minOf follow Math.max / Math.min: NaN wins, +0 above −0, ∓∞ for no values', () => {
  const v = fc.oneof(fc.double(), fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity));
  fc.assert(fc.property(fc.array(v, { maxLength: 8 }), (xs) => {
    assert.ok(Object.is(maxOf(xs), Math.max(...xs)));
    assert.ok(Object.is(minOf(xs), Math.min(...xs)));
  }), { seed: 11, numRuns: 1000 });
});
