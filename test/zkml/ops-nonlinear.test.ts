// Division by a computed tensor, Exp, Softmax, LogSoftmax and Log (docs/zkml-compile.md "Division, Exp, Softmax,
// LogSoftmax"): the stated table error bounds, Euclidean division semantics and its zero-divisor rule, Exp's error
// against onnxruntime with a calibrated range, and the clear refusals (Tan and the wide Log: test/zkml/ops-tan-log.test.ts). Circuit soundness of these ops (every hint
// forgery rejected) is in test/zkml/ops-coverage.test.ts and test/zkml/direct-backend.test.ts (NONLINEAR_MODELS).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { toField, toFixed } from '../../src/zkml/fixed-point.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { UnsupportedOpError } from '../../src/zkml/onnx/errors.js';
import { OpDomainError } from '../../src/zkml/quantize/errors.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { actMaxError, actOutputScale, buildActTable } from '../../src/zkml/quantize/activation.js';
import { euclidDiv, programCost } from '../../src/zkml/quantize/program.js';
import { emitProgram } from '../../src/zkml/r1cs/emit.js';
import { checkR1cs } from '../../src/zkml/r1cs/check.js';
import { asR1cs } from '../../src/zkml/r1cs/write.js';
import { directWitness } from '../../src/zkml/witness/direct.js';
import { WitnessInputError } from '../../src/zkml/witness/errors.js';
import { rand } from '../fixtures/onnx/models.js';
import { oneOp } from '../fixtures/onnx/op-models.js';

test('exp16 and log17 tables: the error bounds stated in docs/zkml-compile.md hold', () => {
  // [scale, exp16 bound (exp over [−16, 0), input at scale s), log bound (log S over [1, 17), S at scale 2s − 4)]
  for (const [s, expBound, logBound] of [[6, 0.021, 0.046], [8, 0.0048, 0.0112], [10, 0.0016, 0.0029]] as const) {
    const e = buildActTable('exp16', s, actOutputScale('exp16', s, s));
    assert.ok(actMaxError(e, s, s + 2, [-16, 8 - 2 ** -s]) <= expBound, `exp16 at s = ${s}`);
    const so = actOutputScale('log17', s, s), l = buildActTable('log17', s, so);
    assert.ok(actMaxError(l, so, so + 2, [-8, 8 - 2 ** -so]) * Math.log(17) <= logBound, `log17 at s = ${s}`);
  }
});

test('Euclidean division: 0 ≤ r < |y| for every sign, and a zero divisor is a typed error naming the node', () => {
  for (const [x, y, q, r] of [[7n, 2n, 3n, 1n], [-7n, 2n, -4n, 1n], [7n, -2n, -3n, 1n], [-7n, -2n, 4n, 1n], [6n, -3n, -2n, 0n]] as const) {
    assert.deepEqual(euclidDiv(x, y, 'n'), { q, r });
  }
  assert.throws(() => euclidDiv(5n, 0n, 'the_div'), (e: unknown) => e instanceof WitnessInputError && /division by zero at node "the_div"/.test(e.message));
});

test('Div by a computed tensor: the witness of a zero divisor is refused; an honest one satisfies the r1cs', () => {
  const bytes = oneOp('div0', [1, 2], [1, 2], (b) => { b.node('Div', [b.init('k', [1, 2], [1, -1]), 'x'], ['y'], {}, 'the_div'); });
  const low = quantizeGraph(importOnnx(bytes, 'div0'), 8, undefined);
  const r1cs = asR1cs(emitProgram(low.program, { constraints: true }));
  assert.equal(r1cs.constraints.length, programCost(low.program));
  const w = directWitness(low.program, [0.5, -2].map((v) => toField(toFixed(v, 8))));
  assert.deepEqual(checkR1cs(r1cs, w), { ok: true, failures: 0 });
  assert.throws(() => directWitness(low.program, [0.5, 0].map((v) => toField(toFixed(v, 8)))), (e: unknown) => e instanceof WitnessInputError && /division by zero at node "the_div"/.test(e.message));
});

test('Exp with a calibrated input range: relative error vs onnxruntime within 1%', async () => {
  const bytes = oneOp('exp', [1, 6], [1, 6], (b) => { b.node('Exp', ['x'], ['y']); });
  const g = importOnnx(bytes, 'exp');
  const samples = [1, 2, 3, 4].map((seed) => [rand(90 + seed, 6, 3)]);
  const low = quantizeGraph(g, 8, samples);
  const ref = await runOnnxRuntime(bytes, g, samples);
  samples.forEach((sm, k) => emulateFloat(low, sm).forEach((v, i) => {
    const want = ref[k]![0]![i]!;
    assert.ok(Math.abs(v - want) <= 0.01 * Math.max(want, 1), `exp(${sm[0]![i]}) = ${v} vs ${want}`);
  }));
});

test('refusals: Tan whose proven range holds a pole (no calibration), Tan or Log with calibration inputs outside their domain', () => {
  const tan = oneOp('tan', [1, 2], [1, 2], (b) => { b.node('Tan', ['x'], ['y'], {}, 'tan1'); });
  const g = importOnnx(tan, 'tan'); // imports: Tan has a lowering now
  assert.throws(() => quantizeGraph(g, 8, undefined), (e: unknown) => e instanceof UnsupportedOpError && /Tan.*contains a pole.*--calibration.*"tan1"/.test(e.message));
  const near = [[[1.5, 0.2]], [[0.1, -0.3]]]; // 1.5 is 0.071 from π/2
  assert.throws(() => quantizeGraph(g, 8, near), (e: unknown) => e instanceof OpDomainError && /Tan at node "tan1".*0\.0708 from a pole/.test(e.message) && !!e.hint);
  const lg = oneOp('lg', [1, 2], [1, 2], (b) => { b.node('Log', ['x'], ['y'], {}, 'log1'); });
  assert.throws(() => quantizeGraph(importOnnx(lg, 'lg'), 8, [[[2, 0.5]], [[3, -0.25]]]), (e: unknown) => e instanceof OpDomainError && /Log at node "log1" reads -0\.25/.test(e.message));
});
