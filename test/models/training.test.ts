import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelCard } from '../../src/models/card.js';
import { TrainingError } from '../../src/models/errors.js';
import { saveZooModel } from '../../src/models/save.js';
import { generatePositions } from '../../src/models/staking/generate.js';
import { trainStakingLstm } from '../../src/models/staking/train.js';
import { getZooModel } from '../../src/models/zoo.js';

test('staking LSTM training is deterministic for a seed and its export passes the onnxruntime check', async () => {
  const a = await trainStakingLstm({ count: 240, epochs: 1, seed: 9 });
  const b = await trainStakingLstm({ count: 240, epochs: 1, seed: 9 });
  assert.deepEqual(Buffer.from(a.onnx), Buffer.from(b.onnx), 'same seed ⇒ byte-identical ONNX');
  const c = await trainStakingLstm({ count: 240, epochs: 1, seed: 10 });
  assert.notDeepEqual(Buffer.from(a.onnx), Buffer.from(c.onnx));
  assert.ok(a.card.exportMaxAbsDiff! <= 1e-5);
  assert.deepEqual(a.card.onnx.ops, ['LSTM', 'Reshape', 'Gemm']);
  assert.equal(a.card.training!.trainCount + a.card.training!.testCount, 240);
  assert.deepEqual(a.card.evaluation!.map((r) => r.predictor), ['LSTM(16) → Dense(1)', 'mean duration (train)', 'last-known duration (same token)']);
  // saved files round-trip through the card reader
  const dir = mkdtempSync(join(tmpdir(), 'zk-train-'));
  saveZooModel(dir, getZooModel('staking-lstm'), a);
  assert.deepEqual(readModelCard(dir), a.card);
  assert.deepEqual(readFileSync(join(dir, 'model.onnx')), Buffer.from(a.onnx));
  const calib = JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8')) as { input_data: number[][] };
  assert.equal(calib.input_data[0]!.length % 40, 0);
});

test('training from CSV positions uses them and refuses too few', async () => {
  const { positions } = generatePositions({ count: 10, seed: 1 });
  await assert.rejects(trainStakingLstm({ positions }), TrainingError);
  await assert.rejects(trainStakingLstm({ count: 100, epochs: 0 }), TrainingError);
});
