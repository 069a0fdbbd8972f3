// Progress from inside quantization (lowering): one report per graph node, and a heartbeat every few thousand
// signals inside a large node, so a big model never sits silent in "quantize" (docs/zkml-compile.md, "Progress").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseScale, quantizeGraph } from '../../src/zkml/compile.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { mlpModel, rand } from '../fixtures/onnx/models.js';

test('lowering reports each graph node done, ending at total/total', () => {
  const g = importOnnx(mlpModel(), 'mlp');
  const seen: Array<[number, number]> = [];
  quantizeGraph(g, 8, undefined, { onProgress: (d, n) => seen.push([d, n]) });
  const total = seen[0]![1];
  assert.ok(total >= 3, `a node count (got ${total})`);
  assert.deepEqual(seen.at(-1), [total, total]);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]![0] >= seen[i - 1]![0], 'done never goes back');
  assert.ok(seen.every(([, n]) => n === total));
});

test('a node that makes many signals reports before it is done (heartbeat inside the node)', () => {
  const b = new OnnxBuilder('wide');
  b.input('x', [1, 3, 64, 64]);
  b.node('Relu', ['x'], ['y']);
  b.output('y', [1, 3, 64, 64]);
  const g = importOnnx(b.toBytes(), 'wide');
  const seen: Array<[number, number]> = [];
  quantizeGraph(g, 6, undefined, { onProgress: (d, n) => seen.push([d, n]) });
  const total = seen.at(-1)![1];
  assert.ok(seen.filter(([d]) => d < total).length >= 5, `heartbeats before the end: ${JSON.stringify(seen)}`);
});

test('a constant-linear node probed column by column reports while it probes', () => {
  const b = new OnnxBuilder('conv');
  b.input('x', [1, 1, 24, 24]);
  b.node('Conv', ['x', b.init('w', [1, 1, 3, 3], rand(4, 9, 0.5))], ['y'], { pads: [1, 1, 1, 1] });
  b.output('y', [1, 1, 24, 24]);
  const seen: Array<[number, number]> = [];
  quantizeGraph(importOnnx(b.toBytes(), 'conv'), 6, undefined, { onProgress: (d, n) => seen.push([d, n]) });
  assert.ok(seen.filter(([d, n]) => d < n).length >= 5, `heartbeats while probing: ${seen.length}`);
});

test('choosing the scale reports each tried scale as its own quantize stage', () => {
  const g = importOnnx(mlpModel(), 'mlp');
  const stages = new Set<string>();
  chooseScale(g, [[rand(3, 4, 1)]], undefined, (s) => stages.add(s));
  assert.ok([...stages].some((s) => /^quantize \(try scale \d+\)$/.test(s)), [...stages].join());
});
