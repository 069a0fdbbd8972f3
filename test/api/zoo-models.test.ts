import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { zooModelAdapter } from '../../src/api/zoo-models.js';
import { parseOrBadRequest } from '../../src/api/input-schema.js';
import { readModelCard } from '../../src/models/card.js';
import { shippedModelDir } from '../../src/models/paths.js';
import { encodePosition } from '../../src/models/staking/features.js';
import { StakingPositionInputSchema } from '../../src/models/staking/schema.js';
import { getZooModel } from '../../src/models/zoo.js';

const tensor = (name: string, shape: number[]) => ({ name, signal: name, shape, scaleBits: 12, rangeBits: 40 });

test('staking-lstm circuits take a raw staking position, normalised like zkinfer predict', () => {
  const lstm = getZooModel('staking-lstm');
  const a = zooModelAdapter({ name: 'staking-lstm', inputs: [tensor('input', lstm.inputShape)] });
  assert.ok(a);
  const example = JSON.parse(readFileSync(`${shippedModelDir('staking-lstm')}/example-input.json`, 'utf8'));
  assert.deepEqual(a.example, example);
  const parsed = parseOrBadRequest(a.schema, example, 'input');
  const norm = readModelCard(shippedModelDir('staking-lstm')).normalisation!;
  assert.deepEqual(a.encode(parsed), { input: encodePosition(StakingPositionInputSchema.parse(example), norm).flat() });
  assert.match(a.describe!({ output: [0] }), /^predicted staking duration: \d+ days/);
  const bad = structuredClone(example);
  bad.days[2].apr_pct = 'high';
  assert.throws(() => parseOrBadRequest(a.schema, bad, 'input'), (e: { status?: number; details?: { field?: string } }) => e.status === 400 && e.details?.field === 'input.days[2].apr_pct');
});

test('exit-mlp takes its declared request (a staking position); circuits not from a plugin get no adapter', () => {
  const mlp = getZooModel('exit-mlp');
  const a = zooModelAdapter({ name: 'exit-mlp', inputs: [tensor('x', mlp.inputShape)] });
  assert.ok(a);
  const parsed = parseOrBadRequest(a.schema, a.example, 'input');
  const flat = a.encode(parsed)['x']!;
  assert.equal(flat.length, mlp.inputShape.reduce((p, d) => p * d, 1));
  assert.equal(zooModelAdapter({ name: 'affine-fixture', inputs: [tensor('x', [3])] }), undefined);
});
