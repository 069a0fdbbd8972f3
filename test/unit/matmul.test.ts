// The float matrix product of the compiler's kernels (src/zkml/ir/kernels.ts `matmul`): it skips the zeros of its
// left operand (so a lowering probe, one nonzero, costs one row of the weights) and reads Gemm's transB in place.
// Both must give bit for bit what the plain sum gives — products added in ascending k from 0 — including −0, NaN
// and infinities (a non-finite right operand turns the skipping off).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { matmul, transpose } from '../../src/zkml/ir/kernels.js';
import type { Tensor } from '../../src/zkml/ir/tensor.js';

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
