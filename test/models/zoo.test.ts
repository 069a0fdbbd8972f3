import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readModelCard } from '../../src/models/card.js';
import { shippedModelDir } from '../../src/models/paths.js';
import { nest } from '../../src/models/tensor-schema.js';
import { getZooModel, ZOO, zooModelNames } from '../../src/models/zoo.js';
import { UnknownModelError } from '../../src/models/errors.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';

const ENGINE_OPS = new Set(['Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'LSTM', 'Conv', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Slice', 'Transpose', 'Concat', 'Gather', 'Identity', 'Constant']);

test('the zoo has the four required models', () => {
  assert.deepEqual(zooModelNames(), ['staking-lstm', 'exit-mlp', 'shapes-cnn', 'scoring-ema']);
  assert.throws(() => getZooModel('gpt-5'), UnknownModelError);
});

for (const model of ZOO) {
  test(`${model.name}: shipped files match the card, use only engine ops, and run in onnxruntime`, async () => {
    const dir = shippedModelDir(model.name);
    const card = readModelCard(dir);
    const bytes = readFileSync(join(dir, 'model.onnx'));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), card.onnx.sha256, 'model.onnx changed without model.json');
    assert.ok(existsSync(join(dir, 'calibration.json')));
    for (const op of card.onnx.ops) assert.ok(ENGINE_OPS.has(op), `${op} is not supported by the engine`);
    assert.deepEqual(card.input.shape, model.inputShape);
    assert.deepEqual(card.output.shape, model.outputShape);
    if (card.exportMaxAbsDiff !== undefined) assert.ok(card.exportMaxAbsDiff <= 1e-5);
    const graph = importOnnx(bytes, model.name);
    assert.deepEqual(graph.inputs[0]!.shape, model.inputShape);
    const samples = [1, 2, 3].map((s) => model.sampleInput(s));
    const outs = await runOnnxRuntime(bytes, graph, samples.map((s) => [s]));
    for (const o of outs) {
      assert.equal(o[0]!.length, model.outputShape.reduce((a, b) => a * b, 1));
      assert.ok(o[0]!.every(Number.isFinite));
    }
  });

  test(`${model.name}: seeded request inputs match the zod schema and its JSON Schema`, () => {
    const a = model.sampleInput(7);
    assert.deepEqual(model.sampleInput(7), a, 'same seed, same input');
    assert.notDeepEqual(model.sampleInput(8), a);
    assert.equal(a.length, model.inputShape.reduce((x, y) => x * y, 1));
    assert.ok(model.inputSchema.safeParse({ input: nest(a, model.inputShape) }).success);
    assert.ok(!model.inputSchema.safeParse({ input: a }).success, 'flat array must be rejected');
    assert.ok(!model.inputSchema.safeParse({ input: nest([...a.slice(1), Number.NaN], model.inputShape) }).success, 'NaN must be rejected');
    const schema = z.toJSONSchema(model.inputSchema) as unknown as { type: string; properties: { input: { type: string; minItems: number } } };
    assert.equal(schema.type, 'object');
    assert.equal(schema.properties.input.type, 'array');
    assert.equal(schema.properties.input.minItems, model.inputShape[0]);
  });
}

test('trained models beat their naive baselines on the held-out split', () => {
  const staking = readModelCard(shippedModelDir('staking-lstm')).evaluation!;
  const [lstm, mean, last] = staking.map((r) => r.metrics['mae_days']!);
  assert.ok(lstm! < mean! && lstm! < last!, `LSTM MAE ${lstm} vs mean ${mean} / last-known ${last}`);
  const mlp = readModelCard(shippedModelDir('exit-mlp')).evaluation!;
  assert.ok(mlp[0]!.metrics['log_loss']! < mlp[1]!.metrics['log_loss']!);
  const cnn = readModelCard(shippedModelDir('shapes-cnn')).evaluation!;
  assert.ok(cnn[0]!.metrics['accuracy']! > 0.7 && cnn[1]!.metrics['accuracy']! < 0.35);
});
