// A four-input model with bool, int64 and float inputs and a symbolic batch dimension, end to end from the CLI:
// zkinfer compile (note about batch_size, then --dim) → prove with one input_data array per graph input → verify;
// the proven outputs match onnxruntime-node. Also: one error lists every unsupported node.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { rand } from '../fixtures/onnx/models.js';
import { testCache, zkinfer } from './prove-fixtures.js';

const work = join(testCache, 'multi-input-cli');
after(releaseSnarkjsCurve);

/** mask (bool [B,3]), k (int64 [1,3]), a (float [B,3]), b (float [1,3]) → [Where(mask, a·k, b) + relu(a − b), max(a, b)]. */
function typedModel(): Uint8Array {
  const o = new OnnxBuilder('typed4');
  o.input('mask', ['batch_size', 3], 9);
  o.input('k', [1, 3], 7);
  o.input('a', ['batch_size', 3]);
  o.input('b', [1, 3]);
  o.node('Cast', ['k'], ['kf'], { to: 1 });
  o.node('Mul', ['a', 'kf'], ['ak']);
  o.node('Where', ['mask', 'ak', 'b'], ['w']);
  o.node('Sub', ['a', 'b'], ['d']);
  o.node('Relu', ['d'], ['r']);
  o.node('Add', ['w', 'r'], ['y']);
  o.node('Max', ['a', 'b'], ['m']);
  o.output('y', ['batch_size', 3]);
  o.output('m', ['batch_size', 3]);
  return o.toBytes();
}

test('4 inputs (bool, int64, float, float) with a symbolic batch: compile → prove → verify from the CLI', async () => {
  mkdirSync(work, { recursive: true });
  const model = join(work, 'typed4.onnx');
  const bytes = typedModel();
  writeFileSync(model, bytes);
  const env = { ZKINFER_CACHE_DIR: testCache };
  const dir = join(work, 'art');
  const c = zkinfer(['compile', model, '--out', dir, '--scale', '8', '--dim', 'batch_size=2'], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  const md = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  assert.deepEqual(md.inputs.map((i: { shape: number[] }) => i.shape), [[2, 3], [1, 3], [2, 3], [1, 3]]);

  const inputs = [[1, 0, 1, 0, 0, 1], [2, -1, 3], rand(5, 6, 1.5), rand(6, 3, 1.5)];
  writeFileSync(join(work, 'in.json'), JSON.stringify({ input_data: inputs }));
  const proofPath = join(work, 'proof.json');
  const p = zkinfer(['prove', dir, '--input', join(work, 'in.json'), '--out', proofPath], env);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  const proof = JSON.parse(readFileSync(proofPath, 'utf8'));
  const g = importOnnx(bytes, 'typed4', { dims: { batch_size: 2 } });
  const [ref] = await runOnnxRuntime(bytes, g, [inputs]);
  proof.outputs.forEach((o: number[], i: number) => o.forEach((v, k) => assert.ok(Math.abs(v - ref![i]![k]!) < 0.02, `out ${i}[${k}] ${v} vs onnxruntime ${ref![i]![k]}`)));
  assert.equal(zkinfer(['verify', dir, proofPath, '--input', join(work, 'in.json')], env).code, 0);
  const other = inputs.map((x) => [...x]);
  other[0]![1] = 1; // flip one mask bit: the proof no longer matches the inputs
  writeFileSync(join(work, 'other.json'), JSON.stringify({ input_data: other }));
  assert.equal(zkinfer(['verify', dir, proofPath, '--input', join(work, 'other.json')], env).code, 1);
});

test('without --dim a symbolic dimension is 1 with a note; a bad --dim is a clear error', () => {
  const notes: string[] = [];
  const g = importOnnx(typedModel(), 'typed4', { onNote: (m) => notes.push(m) });
  assert.deepEqual(g.inputs.map((i) => i.shape), [[1, 3], [1, 3], [1, 3], [1, 3]]);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /"batch_size" set to 1 \(use --dim batch_size=N/);
  mkdirSync(work, { recursive: true });
  const model = join(work, 'typed4.onnx');
  writeFileSync(model, typedModel());
  const r = zkinfer(['compile', model, '--out', join(work, 'bad'), '--dim', 'batch_size=two']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--dim "batch_size=two" is not NAME=N/);
});

test('one error lists every unsupported node with its name, from the CLI', () => {
  const o = new OnnxBuilder('many');
  o.input('x', [1, 4]);
  o.node('Sinh', ['x'], ['s'], {}, 'sinh1');
  o.node('Atan', ['s'], ['t'], {}, 'atan1');
  o.node('Relu', ['t'], ['r'], {}, 'relu_after');
  o.node('Acos', ['x'], ['c'], {}, 'acos1');
  o.node('Add', ['r', 'c'], ['y']);
  o.output('y', [1, 4]);
  mkdirSync(work, { recursive: true });
  const model = join(work, 'many.onnx');
  writeFileSync(model, o.toBytes());
  const r = zkinfer(['compile', model, '--out', join(work, 'many')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /3 unsupported ONNX nodes \(Sinh, Atan, Acos\).*"sinh1".*"atan1".*"acos1"/s);
  assert.doesNotMatch(r.stderr, /relu_after/);
});
