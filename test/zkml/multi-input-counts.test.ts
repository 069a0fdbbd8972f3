// Models with 1, 2 and 16 graph inputs, including bool and integer inputs (Cast), compiled, proven and verified
// through the real CLI (test/fixtures/onnx/cli-roundtrip.ts): the proven outputs match onnxruntime-node and a changed
// input fails verification. (The 4-input model with a symbolic batch is test/zkml/multi-input-cli.test.ts.)
import { after, test } from 'node:test';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { cliRoundTrip } from '../fixtures/onnx/cli-roundtrip.js';
import { rand } from '../fixtures/onnx/models.js';

after(releaseSnarkjsCurve);
const BOOL = 9, INT64 = 7, INT32 = 6;

test('1 input (int64): Cast → Mul → Relu, from the CLI', async () => {
  const b = new OnnxBuilder('one-int');
  b.input('k', [1, 4], INT64);
  b.node('Cast', ['k'], ['kf'], { to: 1 });
  b.node('Mul', ['kf', b.init('w', [4], [0.5, -1, 0.25, 2])], ['m']);
  b.node('Relu', ['m'], ['y']);
  b.output('y', [1, 4]);
  await cliRoundTrip('one-int', b.toBytes(), [[3, 2, -4, 1]], [[3, 2, -4, 2]], { tol: 0.01 });
});

test('2 inputs (bool mask, float): Cast, Where, Softmax, from the CLI', async () => {
  const b = new OnnxBuilder('two-mixed', 13);
  b.input('mask', [1, 4], BOOL);
  b.input('x', [1, 4]);
  b.node('Cast', ['mask'], ['mf'], { to: 1 });
  b.node('Mul', ['x', 'mf'], ['xm']);
  b.node('Where', ['mask', 'x', b.init('neg', [], [-2])], ['w']);
  b.node('Softmax', ['w'], ['s'], { axis: -1 });
  b.node('Concat', ['xm', 's'], ['y'], { axis: 1 });
  b.output('y', [1, 8]);
  const x = rand(71, 4, 1.5);
  await cliRoundTrip('two-mixed', b.toBytes(), [[1, 0, 1, 1], x], [[1, 1, 1, 1], x], { tol: 0.01 });
});

test('16 inputs (4 bool, 4 int64, 2 int32, 6 float): Cast each, Concat, Gemm, from the CLI', async () => {
  const b = new OnnxBuilder('sixteen');
  const kinds = [BOOL, BOOL, BOOL, BOOL, INT64, INT64, INT64, INT64, INT32, INT32, 1, 1, 1, 1, 1, 1];
  const parts = kinds.map((kind, i) => {
    b.input(`in${i}`, [1, 2], kind);
    if (kind === 1) return `in${i}`;
    b.node('Cast', [`in${i}`], [`f${i}`], { to: 1 });
    return `f${i}`;
  });
  b.node('Concat', parts, ['cat'], { axis: 1 }); // [1, 32]
  b.node('Gemm', ['cat', b.init('w', [32, 3], rand(72, 96, 0.3)), b.init('c', [3], [0.1, -0.2, 0.3])], ['y']);
  b.output('y', [1, 3]);
  const inputs = kinds.map((kind, i) => (kind === BOOL ? [i % 2, 1 - (i % 2)] : kind === 1 ? rand(80 + i, 2, 1.5) : [i - 6, 2 - i]));
  const other = inputs.map((x) => [...x]);
  other[9]![0] = other[9]![0]! + 1; // one int32 input changed
  await cliRoundTrip('sixteen', b.toBytes(), inputs, other, { tol: 0.05 }); // integer inputs up to ±9 × 32 weights at 2^−9
});
