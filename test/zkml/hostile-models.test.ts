// Hostile and malformed ONNX models (docs/zkml-compile.md "Refused models", "Size limit"): each one, a few hundred
// bytes built in-process, must end in a typed ZkinferError naming its node or tensor, at once and without allocating
// what it declares; one of them also through the real CLI (exit 2, `error:`, no stack trace).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ZkinferError, InvalidInputError } from '../../src/errors/base.js';
import { KERNELS } from '../../src/zkml/ir/kernels.js';
import { checkedSize, MAX_TENSOR_ELEMENTS, ModelSizeLimitError, TensorLimitError } from '../../src/zkml/ir/tensor.js';
import { parseDimOptions } from '../../src/zkml/onnx/dims.js';
import { OnnxParseError, UnsupportedOpError } from '../../src/zkml/onnx/errors.js';
import { importOnnx, MAX_OPSET } from '../../src/zkml/onnx/import.js';
import { onnx } from '../../src/zkml/onnx/proto.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { startCli } from '../lifecycle/spawn-cli.js';
import { testCache } from './prove-fixtures.js';

/** A model the OnnxBuilder cannot express, straight from the protobuf types. */
const raw = (graph: object, opset = 17): Uint8Array => onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: opset }], graph })).finish();
const vi = (name: string, dims: number[], elemType = 1) => ({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
const f32 = (a: number[]): Uint8Array => new Uint8Array(Float32Array.from(a).buffer);

/** A 1-in, 1-out model around `body` (which reads "x" and writes "y"). */
function model(name: string, x: Array<number | string>, body: (b: OnnxBuilder) => void, opset = 17, y: number[] = [1]): Uint8Array {
  const b = new OnnxBuilder(name, opset);
  b.input('x', x);
  body(b);
  b.output('y', y);
  return b.toBytes();
}

interface Case { name: string; bytes: () => Uint8Array; error: new (...a: never[]) => ZkinferError; message: RegExp; dims?: Record<string, number> }

const CASES: Case[] = [
  // F2: window attributes
  { name: 'Conv stride 0', bytes: () => model('m', [1, 1, 3, 3], (b) => b.node('Conv', ['x', b.init('w', [1, 1, 1, 1], [1])], ['y'], { strides: [0, 1], kernel_shape: [1, 1] })), error: OnnxParseError, message: /node "Conv_0" \(Conv\).*strides must be 2 integers ≥ 1, got \[0,1\]/ },
  { name: 'MaxPool stride 0', bytes: () => model('m', [1, 1, 2, 2], (b) => b.node('MaxPool', ['x'], ['y'], { strides: [0, 1], kernel_shape: [1, 1] })), error: OnnxParseError, message: /node "MaxPool_0".*strides must be/ },
  { name: 'AveragePool stride 0', bytes: () => model('m', [1, 1, 2, 2], (b) => b.node('AveragePool', ['x'], ['y'], { strides: [1, 0], kernel_shape: [1, 1] })), error: OnnxParseError, message: /node "AveragePool_0".*strides must be/ },
  { name: 'Conv negative stride', bytes: () => model('m', [1, 1, 3, 3], (b) => b.node('Conv', ['x', b.init('w', [1, 1, 1, 1], [1])], ['y'], { strides: [-1, 1] })), error: OnnxParseError, message: /node "Conv_0".*strides must be 2 integers ≥ 1, got \[-1,1\]/ },
  { name: 'MaxPool kernel 0', bytes: () => model('m', [1, 1, 2, 2], (b) => b.node('MaxPool', ['x'], ['y'], { kernel_shape: [0, 1] })), error: OnnxParseError, message: /node "MaxPool_0".*kernel_shape must be 2 integers ≥ 1/ },
  { name: 'Conv dilation 0', bytes: () => model('m', [1, 1, 3, 3], (b) => b.node('Conv', ['x', b.init('w', [1, 1, 2, 2], [1, 1, 1, 1])], ['y'], { dilations: [0, 0] })), error: OnnxParseError, message: /node "Conv_0".*dilations must be/ },
  { name: 'AveragePool negative pads', bytes: () => model('m', [1, 1, 3, 3], (b) => b.node('AveragePool', ['x'], ['y'], { kernel_shape: [1, 1], pads: [0, -1, 0, 0] })), error: OnnxParseError, message: /node "AveragePool_0".*pads must be 4 integers ≥ 0/ },
  { name: 'MaxPool kernel larger than the input', bytes: () => model('m', [1, 1, 3, 3], (b) => b.node('MaxPool', ['x'], ['y'], { kernel_shape: [5, 5] })), error: OnnxParseError, message: /node "MaxPool_0".*does not fit the padded input/ },
  // F3: sizes
  { name: 'graph input of 2e9 elements', bytes: () => model('m', [1, 2e9], (b) => b.node('Relu', ['x'], ['y'])), error: TensorLimitError, message: /graph input "x" of model "m" of shape \[1, 2000000000\] would hold 2,000,000,000 elements, over the limit of 16,777,216 elements \(docs\/zkml-compile\.md "Size limit"\)/ },
  { name: 'Pad to 3e8', bytes: () => model('m', [1, 2], (b) => b.node('Pad', ['x', b.initInt64('p', [4], [0, 0, 0, 3e8])], ['y'])), error: TensorLimitError, message: /tensor "y" of shape \[1, 300000002\] at node "Pad_0" \(Pad\) .*would hold 300,000,002 elements/ },
  { name: 'Expand to 20000×20000', bytes: () => model('m', [1, 1], (b) => b.node('Expand', ['x', b.initInt64('s', [2], [20000, 20000])], ['y'])), error: TensorLimitError, message: /tensor "y" .*at node "Expand_0".*400,000,000 elements/ },
  { name: 'Tile ×3e8', bytes: () => model('m', [1, 2], (b) => b.node('Tile', ['x', b.initInt64('r', [2], [1, 3e8])], ['y'])), error: TensorLimitError, message: /tensor "y" .*at node "Tile_0".*600,000,000 elements/ },
  { name: 'ConstantOfShape [1, 2e9]', bytes: () => model('m', [1, 2], (b) => { const c = b.node('ConstantOfShape', [b.initInt64('s', [2], [1, 2e9])], ['c']); b.node('Add', ['x', c], ['y']); }), error: TensorLimitError, message: /tensor "c" .*at node "ConstantOfShape_0".*2,000,000,000 elements/ },
  { name: 'Range of 1e9', bytes: () => model('m', [1, 2], (b) => { const r = b.node('Range', [b.init('s', [], [0]), b.init('l', [], [1e9]), b.init('d', [], [1])], ['r']); b.node('Add', ['x', r], ['y']); }), error: TensorLimitError, message: /tensor "r" .*at node "Range_0".*1,000,000,000 elements/ },
  { name: 'Reshape to a huge shape', bytes: () => model('m', [1, 2], (b) => b.node('Reshape', ['x', b.initInt64('s', [2], [1e5, 1e5])], ['y'])), error: OnnxParseError, message: /node "Reshape_0".*cannot reshape \[1,2\] to \[100000,100000\]/ },
  { name: 'initializer dims [1e5, 1e5] with 4 values', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], initializer: [{ name: 'W', dims: [1e5, 1e5], dataType: 1, rawData: f32([1, 2, 3, 4]) }], node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }] }), error: TensorLimitError, message: /initializer "W" of model "m" of shape \[100000, 100000\] would hold 10,000,000,000 elements/ },
  { name: 'Conv whose window taps exceed the limit', bytes: () => model('m', [1, 64, 64, 64], (b) => b.node('Conv', ['x', b.init('w', [1, 64, 64, 64], new Array(64 ** 3).fill(0.01))], ['y'], { pads: [32, 32, 32, 32] })), error: TensorLimitError, message: /the window taps \(input \[1,64,64,64\], kernel \[64,64\], output \[65,65\]\) at node "Conv_0" \(Conv\) in model "m" would be 1,107,558,400, over the limit/ },
  { name: 'Conv whose multiply-adds exceed the limit', bytes: () => model('m', [1, 1, 128, 128], (b) => b.node('Conv', ['x', b.init('w', [1024, 1, 3, 3], new Array(9216).fill(0.01))], ['y'], { pads: [1, 1, 1, 1] })), error: TensorLimitError, message: /the multiply-adds of Conv \[1,1,128,128\] \* \[1024,1,3,3\] at node "Conv_0" .*would be 150,994,944/ },
  { name: 'MatMul whose multiply-adds exceed the limit', bytes: () => model('m', [512, 512], (b) => b.node('MatMul', ['x', 'x'], ['y'])), error: TensorLimitError, message: /the multiply-adds of MatMul \[512,512\] x \[512,512\] at node "MatMul_0" .*would be 134,217,728/ },
  // each op within the per-op bound (2^24 multiply-adds), the model over the total (2^26): refused before the 5th runs
  { name: 'five MatMuls of 2^24 multiply-adds each', bytes: () => model('m', [256, 256], (b) => { let t = 'x'; for (let i = 0; i < 4; i++) t = b.node('MatMul', [t, t], [`t${i}`]); b.node('MatMul', [t, t], ['y']); }, 17, [256, 256]), error: ModelSizeLimitError, message: /the multiply-adds of MatMul \[256,256\] x \[256,256\] at node "MatMul_3" \(MatMul\) in model "m" would bring the model's tensors and op work to [\d,]+ elements in total, over the limit of 67,108,864 \(docs\/zkml-compile\.md "Size limit"\)/ },
  { name: '--dim N=10^7 (input [N, 2])', bytes: () => model('m', ['N', 2], (b) => b.node('Relu', ['x'], ['y'])), dims: { N: 1e7 }, error: TensorLimitError, message: /graph input "x" of model "m" of shape \[10000000, 2\] would hold 20,000,000 elements/ },
  // F5: names
  { name: 'duplicated graph output', bytes: () => model('m', [1, 2], (b) => { b.node('Relu', ['x'], ['y']); b.output('y', [1, 2]); }), error: OnnxParseError, message: /declares output "y" twice/ },
  { name: 'duplicated graph input', bytes: () => model('m', [1, 2], (b) => { b.input('x', [1, 2]); b.node('Relu', ['x'], ['y']); }), error: OnnxParseError, message: /declares input "x" twice/ },
  { name: 'two nodes write one tensor', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }, { opType: 'Neg', input: ['x'], output: ['y'] }] }), error: OnnxParseError, message: /tensor "y" of model "m" is defined twice: by node "Relu_0" and by node "Neg_1"/ },
  { name: 'a node writes a graph input', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], node: [{ opType: 'Relu', input: ['x'], output: ['x'] }, { opType: 'Neg', input: ['x'], output: ['y'] }] }), error: OnnxParseError, message: /tensor "x" .*defined twice: by graph input "x" and by node "Relu_0"/ },
  { name: 'a node writes an initializer', bytes: () => model('m', [1, 2], (b) => { b.init('W', [2], [1, 2]); b.node('Relu', ['x'], ['W']); b.node('Add', ['x', 'W'], ['y']); }), error: OnnxParseError, message: /tensor "W" .*defined twice: by initializer "W" and by node "Relu_0"/ },
  { name: 'two initializers of one name', bytes: () => model('m', [1, 2], (b) => { b.init('W', [2], [1, 2]); b.init('W', [2], [3, 4]); b.node('Add', ['x', 'W'], ['y']); }), error: OnnxParseError, message: /tensor "W" .*defined twice: by initializer "W" and by initializer "W"/ },
  { name: 'no graph output', bytes: () => { const b = new OnnxBuilder('m'); b.input('x', [1, 2]); b.node('Relu', ['x'], ['y']); return b.toBytes(); }, error: OnnxParseError, message: /has no graph output/ },
  // F6: integer division on a computed tensor
  { name: 'int64 Div', bytes: () => { const b = new OnnxBuilder('m'); b.input('x', [1, 2], 7); const d = b.node('Div', ['x', b.initInt64('two', [1], [2])], ['d']); b.node('Cast', [d], ['y'], { to: 1 }); b.output('y', [1, 2]); return b.toBytes(); }, error: UnsupportedOpError, message: /Div \(on integer tensor "x": integer division truncates.*\) at node "Div_0"/ },
  { name: 'int32 Div after a Cast', bytes: () => model('m', [1, 2], (b) => { const c = b.node('Cast', ['x'], ['c'], { to: 6 }); b.node('Div', [c, b.initInt64('two', [1], [2])], ['y']); }), error: UnsupportedOpError, message: /Div \(on integer tensor "c"/ },
  // F7: malformed tensors and nodes
  { name: 'initializer shorter than its dims', bytes: () => model('m', [1, 2], (b) => b.node('MatMul', ['x', b.init('W', [2, 2], [1, 2, 3])], ['y'])), error: OnnxParseError, message: /initializer "W" of model "m" holds 3 values, but its dims \[2, 2\] need 4/ },
  { name: 'initializer longer than its dims', bytes: () => model('m', [1, 2], (b) => b.node('MatMul', ['x', b.init('W', [2, 2], [1, 2, 3, 4, 5])], ['y'])), error: OnnxParseError, message: /initializer "W" .*holds 5 values, but its dims \[2, 2\] need 4/ },
  { name: 'float_data longer than its dims', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], initializer: [{ name: 'W', dims: [2], dataType: 1, floatData: [1, 2, 3] }], node: [{ opType: 'Add', input: ['x', 'W'], output: ['y'] }] }), error: OnnxParseError, message: /initializer "W" .*holds 3 values, but its dims \[2\] need 2/ },
  { name: 'raw_data of 15 bytes', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], initializer: [{ name: 'W', dims: [2, 2], dataType: 1, rawData: new Uint8Array(15) }], node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }] }), error: OnnxParseError, message: /initializer "W" .*has 15 bytes of raw data, not a whole number of 4-byte elements/ },
  { name: 'negative initializer dims', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], initializer: [{ name: 'W', dims: [-2, 2], dataType: 1, rawData: f32([1, 2, 3, 4]) }], node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'] }] }), error: OnnxParseError, message: /initializer "W" .*has dims \[-2, 2\]: every dimension must be a non-negative integer/ },
  { name: 'Constant without its tensor', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], node: [{ opType: 'Constant', output: ['c'], attribute: [{ name: 'value', type: 4 }] }, { opType: 'Add', input: ['x', 'c'], output: ['y'] }] }), error: OnnxParseError, message: /attribute "value" of node "Constant_0" of model "m" is a TENSOR attribute without a tensor/ },
  { name: 'Constant without attributes', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], node: [{ opType: 'Constant', output: ['c'] }, { opType: 'Add', input: ['x', 'c'], output: ['y'] }] }), error: OnnxParseError, message: /Constant node "Constant_0" of model "m" has no value/ },
  { name: 'NaN weight', bytes: () => model('m', [1, 2], (b) => b.node('MatMul', ['x', b.init('W', [2, 2], [NaN, 1, 2, 3])], ['y'])), error: OnnxParseError, message: /initializer "W" of model "m" holds a non-finite value \(NaN at index 0\)/ },
  { name: 'Infinity weight', bytes: () => model('m', [1, 2], (b) => b.node('MatMul', ['x', b.init('W', [2, 2], [1, 1, 2, Infinity])], ['y'])), error: OnnxParseError, message: /constant "W" of model "m" holds a non-finite value \(Infinity at index 3\), read by node "MatMul_0" \(MatMul\)/ },
  { name: 'NaN in a Constant value_floats', bytes: () => model('m', [1, 2], (b) => { b.node('Constant', [], ['c'], { value_floats: { floats: [NaN, 1] } }); b.node('Add', ['x', 'c'], ['y']); }), error: OnnxParseError, message: /Constant node "Constant_0" of model "m" holds NaN/ },
  { name: 'a folded Infinity read by the circuit', bytes: () => model('m', [1, 2], (b) => { const d = b.node('Div', [b.init('one', [2], [1, 1]), b.init('zero', [2], [0, 1])], ['d']); b.node('Add', ['x', d], ['y']); }), error: OnnxParseError, message: /constant "d" .*holds a non-finite value \(Infinity at index 0\), read by node "Add_1"/ },
  { name: 'Range delta 0', bytes: () => model('m', [1, 2], (b) => { const r = b.node('Range', [b.init('s', [], [0]), b.init('l', [], [2]), b.init('d', [], [0])], ['r']); b.node('Add', ['x', r], ['y']); }), error: OnnxParseError, message: /node "Range_0" \(Range\).*Range delta is 0/ },
  { name: 'Concat without inputs', bytes: () => raw({ name: 'g', input: [vi('x', [1, 2])], output: [vi('y', [1, 2])], node: [{ opType: 'Concat', input: [], output: ['c'], attribute: [{ name: 'axis', type: 2, i: 0 }] }, { opType: 'Add', input: ['x', 'c'], output: ['y'] }] }), error: OnnxParseError, message: /node "Concat_0" \(Concat\).*Concat has no inputs/ },
  { name: 'Tile with a negative repeat', bytes: () => model('m', [1, 2], (b) => b.node('Tile', ['x', b.initInt64('r', [2], [1, -3])], ['y'])), error: OnnxParseError, message: /node "Tile_0" \(Tile\).*invalid shape \[1, -6\]/ },
  // F8: checks as strict as ONNX's
  { name: 'opset 99', bytes: () => model('m', [1, 2], (b) => b.node('Relu', ['x'], ['y']), 99), error: OnnxParseError, message: new RegExp(`uses opset 99; zkinfer supports opsets 1 to ${MAX_OPSET}`) },
  { name: 'Transpose perm [0, 0]', bytes: () => model('m', [1, 3], (b) => b.node('Transpose', ['x'], ['y'], { perm: [0, 0] })), error: OnnxParseError, message: /node "Transpose_0" \(Transpose\).*perm \[0,0\] is not a permutation/ },
  { name: 'Transpose perm of the wrong rank', bytes: () => model('m', [1, 3], (b) => b.node('Transpose', ['x'], ['y'], { perm: [1, 0, 2] })), error: OnnxParseError, message: /perm \[1,0,2\] is not a permutation of the 2 axes/ },
  { name: 'Concat of mismatched dims', bytes: () => model('m', [1, 2], (b) => b.node('Concat', ['x', b.init('k', [2, 3], [1, 2, 3, 4, 5, 6])], ['y'], { axis: 1 })), error: OnnxParseError, message: /node "Concat_0" \(Concat\).*inputs \[1,2\] and \[2,3\] differ outside axis 1/ },
  { name: 'Reshape 6 elements to [-1, 4]', bytes: () => model('m', [1, 6], (b) => b.node('Reshape', ['x', b.initInt64('s', [2], [-1, 4])], ['y'])), error: OnnxParseError, message: /node "Reshape_0" \(Reshape\).*cannot reshape \[1,6\] \(6 elements\) to \[-1,4\]: the −1 dimension is not a whole number/ },
  { name: 'Reshape with two -1', bytes: () => model('m', [1, 6], (b) => b.node('Reshape', ['x', b.initInt64('s', [2], [-1, -1])], ['y'])), error: OnnxParseError, message: /more than one −1/ },
];

for (const c of CASES) {
  test(`refused at import: ${c.name}`, () => {
    const bytes = c.bytes();
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    let caught: unknown;
    try {
      importOnnx(bytes, 'm', c.dims ? { dims: c.dims } : {});
    } catch (err) {
      caught = err;
    }
    const ms = performance.now() - t0;
    assert.ok(caught instanceof c.error, `expected ${c.error.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
    assert.match((caught as Error).message, c.message);
    // fast and without allocating what the model declares (a 2e9-element tensor is 16 GB)
    assert.ok(ms < 1000, `refused in ${ms.toFixed(0)} ms`);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 2 ** 20, 'no large buffer was allocated');
  });
}

test('refused at import: a kernel\'s own bug is a typed "internal error in node …"', () => {
  const relu = KERNELS['Relu']!;
  KERNELS['Relu'] = () => { throw new TypeError('boom'); };
  try {
    assert.throws(() => importOnnx(model('m', [1, 2], (b) => b.node('Relu', ['x'], ['y'])), 'm'),
      (e: unknown) => e instanceof OnnxParseError && /^internal error in node "Relu_0" \(Relu\) of model "m": boom$/.test(e.message));
  } finally {
    KERNELS['Relu'] = relu;
  }
});

test('the size limit is 2^24 elements; --dim values above it are refused', () => {
  assert.equal(MAX_TENSOR_ELEMENTS, 2 ** 24);
  assert.throws(() => parseDimOptions(['N=30000000']), (e: unknown) => e instanceof InvalidInputError && /over the limit of 16777216/.test(e.message));
  assert.throws(() => parseDimOptions(['N=99999999999']), InvalidInputError);
  assert.deepEqual(parseDimOptions(['N=16777216']), { N: 16777216 });
  // a tensor of exactly the limit is accepted
  assert.equal(checkedSize([4, 2 ** 22]), 2 ** 24);
  assert.throws(() => checkedSize([2 ** 24 + 1]), TensorLimitError);
});

test('still accepted: integer Div of constants folds with truncation, an infinite Clip bound, an empty-name Constant', () => {
  // shape arithmetic: [7, 4] / 2 = [3, 2] (truncated; 3.5 would not reshape 6 elements)
  const g = importOnnx(model('m', [1, 6], (b) => {
    const d = b.node('Div', [b.initInt64('s', [2], [7, 4]), b.initInt64('two', [1], [2])], ['d']);
    b.node('Reshape', ['x', d], ['y']);
  }), 'm');
  assert.deepEqual(g.outputs[0]!.shape, [3, 2]);
  const c = importOnnx(model('m', [1, 2], (b) => b.node('Clip', ['x', b.init('lo', [], [0]), b.init('hi', [], [Infinity])], ['y'])), 'm');
  assert.equal(c.nodes.length, 1);
  // the old exporters' initializer-also-listed-as-input is not a second definition
  const o = raw({ name: 'g', input: [vi('x', [1, 2]), vi('W', [2])], output: [vi('y', [1, 2])], initializer: [{ name: 'W', dims: [2], dataType: 1, rawData: f32([1, 2]) }], node: [{ opType: 'Add', input: ['x', 'W'], output: ['y'] }] });
  assert.equal(importOnnx(o, 'm').inputs.length, 1);
});

test('onnxruntime failures are typed: a model the importer accepts but onnxruntime refuses', async () => {
  // the output is declared int64 while Relu gives float: onnxruntime's type check refuses the model
  const b = new OnnxBuilder('m');
  b.input('x', [1, 2]);
  b.node('Relu', ['x'], ['y']);
  b.output('y', [1, 2], 7);
  const bytes = b.toBytes();
  const g = importOnnx(bytes, 'm');
  await assert.rejects(runOnnxRuntime(bytes, g, [[[1, 2]]]), (e: unknown) => e instanceof OnnxParseError && /^onnxruntime cannot load this model \(model "m"\): \S/.test(e.message) && !/onnxruntime_src/.test(e.message));
});

test('OnnxBuilder writes a string-list attribute as STRINGS', () => {
  const b = new OnnxBuilder('m');
  b.node('LSTM', ['x'], ['y'], { activations: ['Sigmoid', 'Relu', 'Relu'] });
  const a = onnx.ModelProto.decode(b.toBytes()).graph!.node![0]!.attribute![0]!;
  assert.equal(a.type, onnx.AttributeProto.AttributeType.STRINGS);
  assert.deepEqual(a.strings!.map((s) => Buffer.from(s).toString('utf8')), ['Sigmoid', 'Relu', 'Relu']);
});

test('zkinfer compile of a hostile model (Conv stride 0) exits 2 with `error:` and no stack trace, at once', async () => {
  const dir = join(testCache, `hostile-cli-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const file = join(dir, 'conv_stride0.onnx');
    writeFileSync(file, CASES[0]!.bytes());
    const run = startCli(['compile', file, '--out', join(dir, 'out')], { env: { ZKINFER_CACHE_DIR: join(testCache, 'user-cache') } });
    const { code, afterMs } = await run.exited(60_000);
    assert.equal(code, 2, run.err());
    assert.match(run.err(), /^error: node "Conv_0" \(Conv\) in model "conv_stride0": strides must be 2 integers ≥ 1, got \[0,1\]/);
    assert.doesNotMatch(run.err(), /\n\s+at /, 'no stack trace');
    assert.ok(afterMs < 30_000, `${afterMs} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zkinfer compile warns when the error vs onnxruntime is above the preset\'s goal', async () => {
  const dir = join(testCache, `hostile-goal-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const file = join(dir, 'tiny.onnx');
    // weights finer than 2 fractional bits: at --scale 2 the circuit's error is far above balanced's 1e-3
    writeFileSync(file, model('tiny', [1, 2], (b) => b.node('MatMul', ['x', b.init('W', [2, 2], [0.37, -0.21, 0.73, 0.11])], ['y']), 17, [1, 2]));
    const run = startCli(['compile', file, '--out', join(dir, 'out'), '--scale', '2'], { env: { ZKINFER_CACHE_DIR: join(testCache, 'user-cache') } });
    const { code } = await run.exited(240_000);
    assert.equal(code, 0, run.err());
    assert.match(run.err(), /warning: max error vs onnxruntime \S+ is above the balanced preset's goal 1\.000e-3: the circuit may not compute what the model does/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
