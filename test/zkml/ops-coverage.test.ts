// Op coverage for what real exporters emit (docs/zkml-compile.md, op table): for every model below, the float
// evaluator agrees with onnxruntime-node, the exact integer emulation of the circuit tracks onnxruntime within the
// stated tolerance, and the compiled circuit passes the witness-mutation soundness harness.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { evaluateGraph } from '../../src/zkml/ir/evaluate.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { COVERAGE_MODELS, type CoverageCase } from '../fixtures/onnx/coverage-models.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';
import { rand } from '../fixtures/onnx/models.js';

async function fidelity(name: string, c: CoverageCase): Promise<void> {
  const bytes = c.bytes();
  const g = importOnnx(bytes, name);
  const sizes = g.inputs.map((vi) => sizeOf(vi.shape));
  const samples = [21, 22, 23].map((seed) => c.sample?.(seed, sizes) ?? sizes.map((n, i) => rand(seed + i, n, 1.5)));
  const ort = await runOnnxRuntime(bytes, g, samples);
  const low = quantizeGraph(g, 8, undefined);
  samples.forEach((sample, k) => {
    const ref = ort[k]!.flatMap((t) => Array.from(t));
    const ours = evaluateGraph(g, sample).flatMap((t) => Array.from(t.data));
    assert.equal(ours.length, ref.length);
    ours.forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) < 1e-4, `${name}: float [${i}] ${v} vs onnxruntime ${ref[i]}`));
    emulateFloat(low, sample).forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) <= c.tol, `${name}: circuit [${i}] ${v} vs onnxruntime ${ref[i]}`));
  });
}

for (const [name, c] of Object.entries(COVERAGE_MODELS)) {
  test(`op coverage: ${name}`, async () => {
    await fidelity(name, c);
    await checkCircuit(name, c.bytes(), { seeds: [11], tampers: 12 });
  });
}
