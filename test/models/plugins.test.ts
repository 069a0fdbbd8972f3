import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { zooModelAdapter } from '../../src/api/zoo-models.js';
import { parseOrBadRequest } from '../../src/api/input-schema.js';
import { InvalidInputError } from '../../src/errors/base.js';
import { allPlugins, findPlugin } from '../../src/models/plugins.js';
import { encodeRequest } from '../../src/models/predict.js';
import { nest } from '../../src/models/tensor-schema.js';

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

for (const p of allPlugins()) {
  test(`plugin ${p.name}: its example passes its schema, encodes to its input shape, and the tensor form agrees`, () => {
    const example = p.request.example();
    assert.ok(p.request.schema.safeParse(example).success, 'example must pass the declared schema');
    const flat = encodeRequest(p, undefined, example, 'example');
    assert.equal(flat.length, size(p.inputShape));
    assert.ok(flat.every(Number.isFinite));
    assert.deepEqual(encodeRequest(p, undefined, { input: nest(flat, p.inputShape) }, 'tensor'), flat);
    assert.ok(z.toJSONSchema(p.request.schema), 'schema exports as JSON Schema');
    const d = p.describe(new Array(size(p.outputShape)).fill(0.25));
    assert.ok(d.summary.length > 0);
    assert.throws(() => encodeRequest(p, undefined, { input: [Number.NaN] }, 'bad.json'), (e: unknown) => e instanceof InvalidInputError && /^bad\.json: expected /.test(e.message));
  });
}

test('a competition task is served by the API like any zoo model, from its declared plugin (no model-name checks)', () => {
  const task = findPlugin('staking-duration');
  assert.ok(task);
  const a = zooModelAdapter({ name: 'staking-duration', inputs: [{ name: 'x', signal: 'x', shape: task.inputShape, scaleBits: 8, rangeBits: 24 }] });
  assert.ok(a);
  assert.equal(a.schema, task.request.schema);
  const parsed = parseOrBadRequest(a.schema, a.example, 'input');
  assert.equal(a.encode(parsed)['x']!.length, size(task.inputShape));
  assert.match(a.describe!({ output: [0] }), /^predicted staking duration/);
  const shapes = zooModelAdapter({ name: 'shapes-classification', inputs: [{ name: 'img', signal: 'img', shape: [1, 1, 16, 16], scaleBits: 8, rangeBits: 24 }] });
  assert.match(shapes!.describe!({ output: [0, 3, 1, 0] }), /^class square/);
});
