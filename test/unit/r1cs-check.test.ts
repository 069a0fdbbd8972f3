// checkR1csChange (src/zkml/r1cs/check.ts), which the soundness harnesses use for their tampered witnesses: given a
// witness that satisfies every constraint, it evaluates only the constraints that read a changed wire, and must give
// exactly checkR1cs's answer (ok, first failed constraint, number of failures) for any change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BN254_R } from '../../src/zkml/fixed-point.js';
import { checkR1cs, checkR1csChange } from '../../src/zkml/r1cs/check.js';
import type { LinearRow, R1cs } from '../../src/zkml/r1cs/read.js';

const mod = (x: bigint) => ((x % BN254_R) + BN254_R) % BN254_R;
function inverse(x: bigint): bigint { // x^(p−2) mod p
  let r = 1n, b = mod(x), e = BN254_R - 2n;
  for (; e > 0n; e >>= 1n, b = (b * b) % BN254_R) if (e & 1n) r = (r * b) % BN254_R;
  return r;
}
const dot = (row: LinearRow, w: bigint[]) => mod(row.reduce((s, [i, k]) => s + k * w[i]!, 0n));

/** A random r1cs that `w` satisfies: random A and B rows, and C = k·w[c] with k chosen to make each constraint hold. */
const satisfied = fc.record({
  values: fc.array(fc.bigInt({ min: 1n, max: BN254_R - 1n }), { minLength: 8, maxLength: 24 }),
  rows: fc.array(fc.tuple(
    fc.array(fc.tuple(fc.nat(), fc.bigInt({ min: -5n, max: 5n })), { minLength: 1, maxLength: 4 }),
    fc.array(fc.tuple(fc.nat(), fc.bigInt({ min: -5n, max: 5n })), { minLength: 1, maxLength: 4 }),
    fc.nat(),
  ), { minLength: 1, maxLength: 30 }),
}).map(({ values, rows }) => {
  const w = [1n, ...values];
  const pick = (terms: Array<[number, bigint]>): LinearRow => terms.map(([i, k]) => [i % w.length, mod(k)]);
  const constraints = rows.map(([a, b, c]): [LinearRow, LinearRow, LinearRow] => {
    const A = pick(a), B = pick(b), wire = 1 + (c % (w.length - 1));
    return [A, B, [[wire, (((dot(A, w) * dot(B, w)) % BN254_R) * inverse(w[wire]!)) % BN254_R]]];
  });
  const r1cs: R1cs = { nWires: w.length, nOutputs: 0, nPubInputs: 0, nPrvInputs: 0, nLabels: 0, constraints };
  return { r1cs, w };
});

test('checkR1csChange = checkR1cs for any change of a satisfying witness (first failure and count included)', () => {
  fc.assert(fc.property(satisfied, fc.array(fc.tuple(fc.nat(), fc.bigInt({ min: 0n, max: BN254_R - 1n })), { maxLength: 4 }), ({ r1cs, w }, edits) => {
    assert.deepEqual(checkR1cs(r1cs, w), { ok: true, failures: 0 });
    const changed = [...w];
    for (const [i, v] of edits) changed[i % w.length] = v; // wire 0 too: a witness whose constant wire is not 1
    assert.deepEqual(checkR1csChange(r1cs, w, changed), checkR1cs(r1cs, changed));
  }), { numRuns: 300, seed: 13 });
});

test('checkR1csChange refuses witnesses of the wrong length', () => {
  const one: LinearRow = [[0, 1n]], x: LinearRow = [[1, 1n]];
  const r1cs: R1cs = { nWires: 2, nOutputs: 0, nPubInputs: 0, nPrvInputs: 0, nLabels: 0, constraints: [[one, x, x] as [LinearRow, LinearRow, LinearRow]] };
  assert.throws(() => checkR1csChange(r1cs, [1n, 5n], [1n]), RangeError);
});
