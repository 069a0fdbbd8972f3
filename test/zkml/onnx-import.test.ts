import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluateGraph } from '../../src/zkml/ir/evaluate.js';
import { emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { DynamicShapeError, UnsupportedOpError } from '../../src/zkml/onnx/errors.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { BURN_LSTM } from '../fixtures/onnx/paths.js';
import { cnnModel, lstmModel, miscModel, mlpModel, rand } from '../fixtures/onnx/models.js';


async function agreesWithOnnxRuntime(bytes: Uint8Array, name: string): Promise<void> {
  const g = importOnnx(bytes, name);
  const sample = g.inputs.map((vi, i) => rand(100 + i, sizeOf(vi.shape), 1.5));
  const [ort] = await runOnnxRuntime(bytes, g, [sample]);
  const ours = evaluateGraph(g, sample);
  assert.equal(ours.length, ort!.length);
  ours.forEach((t, i) => {
    assert.deepEqual(t.shape, g.outputs[i]!.shape);
    assert.equal(t.data.length, ort![i]!.length);
    t.data.forEach((v, k) => assert.ok(Math.abs(v - ort![i]![k]!) < 1e-4, `${name} output ${i}[${k}]: ${v} vs onnxruntime ${ort![i]![k]}`));
  });
}

test('float evaluator matches onnxruntime-node on every fixture model', async () => {
  await agreesWithOnnxRuntime(mlpModel(), 'mlp');
  await agreesWithOnnxRuntime(lstmModel({ layers: 2 }), 'lstm');
  await agreesWithOnnxRuntime(cnnModel(), 'cnn');
  await agreesWithOnnxRuntime(miscModel(), 'misc');
});

test('imports the PyTorch-exported LSTM: folds Shape/Gather/Expand initial states, keeps only the LSTM', async () => {
  const bytes = readFileSync(BURN_LSTM);
  const g = importOnnx(bytes, 'burn-lstm');
  assert.deepEqual(g.inputs, [{ name: 'input', shape: [5, 2, 4] }]);
  assert.deepEqual(g.outputs.map((o) => o.shape), [[5, 2, 8], [1, 2, 8], [1, 2, 8]]);
  assert.deepEqual(g.nodes.map((n) => n.op), ['LSTM', 'Squeeze']);
  await agreesWithOnnxRuntime(bytes, 'burn-lstm');
});

test('an unsupported op is a typed error naming op, node and model', () => {
  const b = new OnnxBuilder('siny');
  b.input('x', [1, 3]);
  b.node('Sinh', ['x'], ['y'], {}, 'the_sinh');
  b.output('y', [1, 3]);
  assert.throws(() => importOnnx(b.toBytes(), 'siny'), (e: unknown) => {
    assert.ok(e instanceof UnsupportedOpError);
    assert.match(e.message, /Sinh.*the_sinh.*siny/);
    return true;
  });
});

test('a dynamic input dimension is a typed error', () => {
  const b = new OnnxBuilder('dyn');
  b.input('x', [1, 3]);
  b.node('Relu', ['x'], ['y']);
  b.output('y', [1, 3]);
  assert.equal(importOnnx(b.toBytes(), 'dyn').nodes.length, 1);
  const b2 = new OnnxBuilder('dyn2');
  b2.input('x', [0, 3]);
  b2.node('Relu', ['x'], ['y']);
  b2.output('y', [1, 3]);
  assert.throws(() => importOnnx(b2.toBytes(), 'dyn2'), DynamicShapeError);
});

test('garbage bytes are a parse error, not a crash', () => {
  assert.throws(() => importOnnx(new Uint8Array([1, 2, 3, 4, 5]), 'junk'), /not a valid ONNX model|no graph/);
});

test('LSTM variants outside the supported set are refused with the reason', () => {
  const b = new OnnxBuilder('rev');
  b.input('x', [2, 1, 1]);
  b.node('LSTM', ['x', b.init('W', [1, 4, 1], rand(1, 4)), b.init('R', [1, 4, 1], rand(2, 4))], ['y'], { hidden_size: 1, clip: { float: 3 } }, 'the_lstm');
  b.output('y', [2, 1, 1, 1]);
  assert.throws(() => importOnnx(b.toBytes(), 'rev'), (e: unknown) => e instanceof UnsupportedOpError && /LSTM \(clip\).*the_lstm.*rev/.test(e.message));
});

test('a constant graph output is a public constant: float, onnxruntime and circuit emulation agree', async () => {
  const b = new OnnxBuilder('constout');
  b.input('x', [1, 2]);
  b.node('Relu', ['x'], ['y']);
  b.node('Identity', [b.init('k', [1, 2], [0.75, -1.5])], ['c']);
  b.output('y', [1, 2]);
  b.output('c', [1, 2]);
  const bytes = b.toBytes();
  const g = importOnnx(bytes, 'constout');
  assert.deepEqual(g.outputs.map((o) => o.name), ['y', 'c']);
  const x = [0.5, -0.25];
  const [ort] = await runOnnxRuntime(bytes, g, [[x]]);
  assert.deepEqual(Array.from(ort![1]!), [0.75, -1.5]);
  assert.deepEqual(emulateFloat(quantizeGraph(g, 8, undefined), [x]), [0.5, 0, 0.75, -1.5]);
});
