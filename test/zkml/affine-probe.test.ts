// Column probing of constant-linear layers (src/zkml/quantize/affine-probe.ts, docs/zkml-compile.md "Quantizing
// large layers"): probing many columns at once from a read pattern gives the same program as one probe per column,
// with probes in the number of colours (the neighbourhood size), not the input size.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { quantizeGraph } from '../../src/zkml/compile.js';
import { KERNELS, type Attrs } from '../../src/zkml/ir/kernels.js';
import { iota, tensor, type Tensor } from '../../src/zkml/ir/tensor.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { composeReads, moveReads, opReads, probeColumns } from '../../src/zkml/quantize/affine-probe.js';
import { convChainModel, convPoolModel } from '../fixtures/onnx/conv-models.js';
import { cnnModel, rand } from '../fixtures/onnx/models.js';

const fingerprint = (p: unknown) => createHash('sha256')
  .update(JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v))).digest('hex').slice(0, 16);

test('programs of small CNNs are the ones column-by-column probing made (fingerprints taken at 5b58a05)', () => {
  // fingerprint of the whole FixedProgram (gadgets, wires, constants) at scale 8, recorded with the previous lowering
  const before: Array<[string, () => Uint8Array, number, string]> = [
    ['cnn', cnnModel, 162, 'd6d8270980126874'],
    ['conv-pool', convPoolModel, 262, '8684ea147d5212ef'],
    ['conv-chain', convChainModel, 475, '0d45bd82d226ed54'],
  ];
  for (const [name, model, gadgets, fp] of before) {
    const low = quantizeGraph(importOnnx(model(), name), 8, undefined);
    assert.equal(low.program.gadgets.length, gadgets, name);
    assert.equal(fingerprint(low.program), fp, `${name}: program changed`);
  }
});

/** f counted: how many probes a column extraction runs. */
function counted(f: (t: Tensor) => Tensor): { f: (t: Tensor) => Tensor; calls: () => number } {
  let n = 0;
  return { f: (t) => { n++; return f(t); }, calls: () => n };
}

test('a Conv → BatchNormalization → Pad chain: same columns as one probe per column, in far fewer probes', () => {
  const shape = [1, 3, 12, 12];
  const w = tensor([5, 3, 3, 3], rand(80, 135, 0.5)), b = tensor([5], rand(81, 5, 0.2));
  const convAt = { pads: [1, 1, 1, 1], strides: [1, 1] };
  const bn = [tensor([5], [1.1, 0.9, 1.2, 0.8, 1]), tensor([5], rand(82, 5, 0.1)), tensor([5], rand(83, 5, 0.1)), tensor([5], [1, 0.5, 2, 0.7, 1.3])];
  const padAt = {}, pads = tensor([8], [0, 0, 1, 2, 0, 0, 2, 1]);
  const conv = (x: Tensor) => KERNELS['Conv']!([x, w, b], convAt)[0]!;
  const norm = (x: Tensor) => KERNELS['BatchNormalization']!([x, ...bn], {})[0]!;
  const pad = (x: Tensor) => KERNELS['Pad']!([x, pads], padAt)[0]!;
  const f = (x: Tensor) => pad(norm(conv(x)));
  const cShape = conv(tensor(shape)).shape;
  let reads = opReads('Conv', [undefined, w, b], convAt, 0, shape)!;
  reads = composeReads(reads, opReads('BatchNormalization', [undefined, ...bn], {}, 0, cShape)!);
  reads = composeReads(reads, moveReads(cShape.reduce((a, c) => a * c, 1), pad(iota(cShape, 1))));
  const dense = counted(f), sparse = counted(f);
  const a = probeColumns(dense.f, shape, undefined, () => {});
  const s = probeColumns(sparse.f, shape, reads, () => {});
  assert.deepEqual(s.cols, a.cols);
  assert.equal(s.big, a.big);
  assert.deepEqual(Array.from(s.zero.data), Array.from(a.zero.data));
  assert.equal(dense.calls(), 1 + 3 * 12 * 12);
  // a 3×3 window: inputs within 2 rows/cols of each other share an output, per input channel (3 × 5 × 5 colours)
  assert.ok(sparse.calls() <= 1 + 75, `probes: ${sparse.calls()}`);
});

test('a read pattern missing a read falls back to one probe per column (never guesses)', () => {
  const shape = [1, 1, 6, 6];
  const w = tensor([1, 1, 3, 3], rand(90, 9, 0.5));
  const f = (x: Tensor) => KERNELS['Conv']!([x, w], { pads: [1, 1, 1, 1] })[0]!;
  const wrong = opReads('Conv', [undefined, w], { pads: [1, 1, 1, 1], dilations: [2, 2] }, 0, shape)!; // other taps
  const probe = counted(f);
  const got = probeColumns(probe.f, shape, wrong, () => {});
  assert.deepEqual(got.cols, probeColumns(f, shape, undefined, () => {}).cols);
  assert.ok(probe.calls() > 36, `fell back to one probe per column (probes: ${probe.calls()})`);
});

test('ReduceMean over the spatial axes and ReduceSum over an axes input: same columns in about a group\'s probes', () => {
  const shape = [1, 3, 6, 6];
  const cases: Array<[string, Array<Tensor | undefined>, Attrs, number]> = [
    ['ReduceMean', [undefined], { axes: [2, 3], keepdims: 0 }, 36], // a mean per channel (opset < 18: attribute)
    ['ReduceSum', [undefined, tensor([1], [1])], { keepdims: 1 }, 3], // over the channels (opset ≥ 13: input)
    ['ReduceSum', [undefined, tensor([0], [])], { noop_with_empty_axes: 1 }, 1], // passes its input through
  ];
  for (const [op, ins, at, colours] of cases) {
    const f = (x: Tensor) => { const a = [...ins]; a[0] = x; return KERNELS[op]!(a, at)[0]!; };
    const reads = opReads(op, ins, at, 0, shape)!;
    const dense = counted(f), sparse = counted(f);
    const a = probeColumns(dense.f, shape, undefined, () => {});
    const s = probeColumns(sparse.f, shape, reads, () => {});
    assert.deepEqual(s.cols, a.cols, op);
    assert.equal(dense.calls(), 1 + 108);
    assert.equal(sparse.calls(), 1 + colours, `${op} ${JSON.stringify(at)}: probes`);
  }
});
