import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InvalidInputError } from '../../src/errors/base.js';
import { readModelCard } from '../../src/models/card.js';
import { shippedModelDir } from '../../src/models/paths.js';
import { encodeRequest, predict, readJsonFile } from '../../src/models/predict.js';
import { nest } from '../../src/models/tensor-schema.js';
import { getZooModel } from '../../src/models/zoo.js';

const example = readJsonFile(join(shippedModelDir('staking-lstm'), 'example-input.json')) as { days: Array<Record<string, number>>; [k: string]: unknown };

test('predict staking-lstm turns a raw position into days', async () => {
  const model = getZooModel('staking-lstm');
  const dir = shippedModelDir('staking-lstm');
  const card = readModelCard(dir);
  const input = encodeRequest(model, card, example, 'example');
  assert.equal(input.length, 40);
  const p = await predict(model, dir, input);
  assert.ok(typeof p.value === 'number' && p.value >= 5 && p.value <= 365);
  assert.match(p.summary, /^predicted staking duration: \d+ days/);
  // the same request as an already-normalised tensor gives the same prediction
  const again = await predict(model, dir, encodeRequest(model, card, { input: nest(input, model.inputShape) }, 'tensor'));
  assert.equal(again.value, p.value);
  // a position that withdrew half its balance early is predicted to leave sooner
  const leaver = structuredClone(example);
  for (let d = 1; d < 5; d++) leaver.days[d]!['balance_eth'] = leaver.days[0]!['balance_eth']! * 0.4;
  const q = await predict(model, dir, encodeRequest(model, card, leaver, 'leaver'));
  assert.ok((q.value as number) < (p.value as number), `${q.value} should be < ${p.value}`);
});

test('predict exit-mlp and shapes-cnn give readable answers', async () => {
  const mlp = getZooModel('exit-mlp');
  const mdir = shippedModelDir('exit-mlp');
  const pm = await predict(mlp, mdir, encodeRequest(mlp, readModelCard(mdir), example, 'example'));
  assert.match(pm.summary, /probability \d+\.\d%/);
  const cnn = getZooModel('shapes-cnn');
  const cdir = shippedModelDir('shapes-cnn');
  const pc = await predict(cnn, cdir, cnn.sampleInput(3));
  assert.match(pc.summary, /^class (circle|square|triangle|cross)/);
});

test('bad predict inputs get typed errors that name the problem', () => {
  const model = getZooModel('staking-lstm');
  const card = readModelCard(shippedModelDir('staking-lstm'));
  const bad = (body: unknown, re: RegExp) =>
    assert.throws(() => encodeRequest(model, card, body, 'in.json'), (e: unknown) => e instanceof InvalidInputError && re.test(e.message));
  bad({ ...example, token: 'DOGE' }, /token/);
  bad({ ...example, days: example.days.slice(0, 3) }, /days/);
  bad({ ...example, days: example.days.map((d, i) => (i === 2 ? { ...d, gas_gwei: -1 } : d)) }, /days\.2\.gas_gwei/);
  bad({ input: [1, 2, 3] }, /expected a staking position/);
  assert.throws(() => readJsonFile('/nonexistent.json'), InvalidInputError);
});
