// Tan, Sin, Cos, Log over any positive range, and LogSoftmax / Softmax over more than 16 classes (docs/zkml-compile.md
// "Tan", "Sin and Cos", "Log"): the stated error bounds against onnxruntime on calibrated inputs, Tan's in-circuit domain (a prover input
// too near a pole has no witness), and a real-CLI compile → prove → verify round trip. Soundness (every hint forgery
// rejected, circom and direct backends): NONLINEAR_MODELS in test/zkml/ops-coverage.test.ts and direct-backend.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { toField, toFixed } from '../../src/zkml/fixed-point.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { directWitness } from '../../src/zkml/witness/direct.js';
import { WitnessInputError } from '../../src/zkml/witness/errors.js';
import { cliRoundTrip } from '../fixtures/onnx/cli-roundtrip.js';
import { rand } from '../fixtures/onnx/models.js';
import { oneOp } from '../fixtures/onnx/op-models.js';
import { testCache } from './prove-fixtures.js';

const S = 8;
/** Split a flat list of values into samples of one [1, n] input. */
const chunks = (xs: number[], n: number): number[][][] => Array.from({ length: Math.floor(xs.length / n) }, (_, i) => [xs.slice(i * n, (i + 1) * n)]);

async function errors(bytes: Uint8Array, name: string, samples: number[][][], scale = S): Promise<Array<{ x: number; ours: number; ref: number }>> {
  const g = importOnnx(bytes, name);
  const low = quantizeGraph(g, scale, samples);
  const ort = await runOnnxRuntime(bytes, g, samples);
  return samples.flatMap((sm, k) => emulateFloat(low, sm).map((ours, i) => ({ x: sm[0]![i % sm[0]!.length]!, ours, ref: ort[k]![0]![i]! })));
}

test('Tan over three periods (calibrated, ≥ 0.1 from the poles): |error| ≤ 6e-3·(1 + tan²x) at s = 8; nearer a pole no witness; 300 periods out', async () => {
  const bytes = oneOp('tan', [1, 64], [1, 64], (b) => { b.node('Tan', ['x'], ['y']); });
  const xs: number[] = [];
  for (let v = -4.6; v <= 4.6; v += 0.0291) if (Math.PI / 2 - Math.abs(v - Math.PI * Math.round(v / Math.PI)) >= 0.1) xs.push(v);
  const samples = chunks(xs, 64);
  for (const { x, ours, ref } of await errors(bytes, 'tan', samples)) {
    assert.ok(Math.abs(ours - ref) <= 6e-3 * (1 + ref * ref), `tan(${x}) = ${ours} vs onnxruntime ${ref}`);
  }
  // far from 0 (k ≈ 300 periods): against tan of the rounded input, π's rounding must not add up over k
  const far: number[] = [];
  for (let v = 900; v <= 1000; v += 0.17) if (Math.PI / 2 - Math.abs(v - Math.PI * Math.round(v / Math.PI)) >= 0.1) far.push(v);
  const lowFar = quantizeGraph(importOnnx(bytes, 'tan'), S, chunks(far, 64));
  for (const sm of chunks(far, 64)) {
    emulateFloat(lowFar, sm).forEach((v, i) => {
      const t = Math.tan(Math.round(sm[0]![i]! * 2 ** S) / 2 ** S);
      assert.ok(Math.abs(v - t) <= 3e-3 * (1 + t * t), `tan(${sm[0]![i]}) = ${v} vs ${t}`);
    });
  }
  const low = quantizeGraph(importOnnx(bytes, 'tan'), S, samples);
  const near = [...samples[0]![0]!];
  near[5] = Math.PI / 2 - 0.003; // |tan| ≈ 333, beyond the quotient's range check
  assert.throws(() => directWitness(low.program, near.map((v) => toField(toFixed(v, S)))), (e: unknown) => e instanceof WitnessInputError && /outside its proven range/.test(e.message));
});

test('Sin and Cos over [−20, 20] (range reduction by π, sign (−1)^k): |error| ≤ 1.5e-3 at s = 8, ≤ 5e-4 at s = 10', async () => {
  const xs: number[] = [];
  for (let v = -20; v < 20; v += 40 / 640) xs.push(v);
  for (const op of ['Sin', 'Cos']) {
    const bytes = oneOp(op.toLowerCase(), [1, 64], [1, 64], (b) => { b.node(op, ['x'], ['y']); });
    for (const [scale, bound] of [[S, 1.5e-3], [10, 5e-4]] as const) {
      for (const { x, ours, ref } of await errors(bytes, op, chunks(xs, 64), scale)) {
        assert.ok(Math.abs(ours - ref) <= bound, `${op}(${x}) = ${ours} vs onnxruntime ${ref} at s = ${scale}`);
      }
    }
  }
});

test('Log over [2^−5, 2^10] (calibrated, range reduction): |error| ≤ 4e-3 + the input rounding 2^−(s+1)/x at s = 8', async () => {
  const bytes = oneOp('log', [1, 64], [1, 64], (b) => { b.node('Log', ['x'], ['y']); });
  const xs: number[] = [];
  for (let e = -5; e < 10; e += 15 / 320) xs.push(2 ** e * (1 + 0.37 * Math.sin(e * 7)));
  for (const { x, ours, ref } of await errors(bytes, 'log', chunks(xs, 64))) {
    assert.ok(Math.abs(ours - ref) <= 4e-3 + 2 ** -(S + 1) / x, `log(${x}) = ${ours} vs onnxruntime ${ref}`);
  }
});

test('LogSoftmax and Softmax over 100 classes: within 0.02 and 0.005 of onnxruntime', async () => {
  const b = new OnnxBuilder('ls100', 13);
  b.input('x', [1, 100]);
  b.node('Mul', ['x', b.init('k', [], [4])], ['x4']);
  b.node('LogSoftmax', ['x4'], ['l'], { axis: -1 });
  b.node('Softmax', ['x4'], ['s'], { axis: -1 });
  b.node('Concat', ['l', 's'], ['y'], { axis: 1 });
  b.output('y', [1, 200]);
  const samples = [31, 32, 33].map((seed) => [rand(seed, 100, 1.5)]);
  (await errors(b.toBytes(), 'ls100', samples)).forEach(({ ours, ref }, i) => {
    assert.ok(Math.abs(ours - ref) <= (i % 200 < 100 ? 0.02 : 0.005), `[${i}] ${ours} vs onnxruntime ${ref}`);
  });
});

test('zkinfer compile --calibration → prove → verify: Log over [0.02, 60], Tan, Sin and Cos beyond one period, LogSoftmax over 20', async () => {
  const b = new OnnxBuilder('tanlog', 13);
  b.input('x', [1, 20]);
  b.input('t', [1, 4]);
  b.node('Log', ['x'], ['l']);
  b.node('LogSoftmax', ['x'], ['ls'], { axis: -1 });
  b.node('Tan', ['t'], ['tt']);
  b.node('Sin', ['t'], ['st']);
  b.node('Cos', ['t'], ['ct']);
  b.output('l', [1, 20]);
  b.output('ls', [1, 20]);
  b.output('tt', [1, 4]);
  b.output('st', [1, 4]);
  b.output('ct', [1, 4]);
  const xs = (seed: number) => rand(seed, 20, 1).map((v) => 0.02 + 60 * v * v);
  const ts = (seed: number) => rand(seed, 4, 1).map((v) => 3 + v); // [2, 4]: between the poles π/2 and 3π/2
  const cal = [41, 42, 43, 44].map((s) => [xs(s), ts(s)]);
  const dir = join(testCache, 'cli-roundtrip');
  mkdirSync(dir, { recursive: true });
  const calPath = join(dir, 'tanlog-calibration.json');
  writeFileSync(calPath, JSON.stringify({ input_data: [cal.flatMap((c) => c[0]!), cal.flatMap((c) => c[1]!)] }));
  const input = [xs(45), ts(45)], other = [xs(45), ts(45).map((v, i) => (i === 0 ? v + 0.25 : v))];
  await cliRoundTrip('tanlog', b.toBytes(), input, other, { tol: 0.05, compileArgs: ['--calibration', calPath] });
});
