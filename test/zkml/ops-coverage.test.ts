// Op coverage for what real exporters emit (docs/zkml-compile.md, op table): for every model below, the float
// evaluator agrees with onnxruntime-node, the exact integer emulation of the circuit tracks onnxruntime within the
// stated tolerance, and the compiled circuit passes the witness-mutation soundness harness.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { evaluateGraph } from '../../src/zkml/ir/evaluate.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';
import { rand } from '../fixtures/onnx/models.js';
import { oneOp } from '../fixtures/onnx/op-models.js';

const BOOL = 9, INT64 = 7;
/** Values on a grid every fixed-point scale ≥ 1 represents exactly (so Equal and ties mean the same in both). */
const grid = (seed: number, n: number) => rand(seed, n).map((v) => Math.round(v * 2) / 2);

interface Case { bytes: () => Uint8Array; tol: number; sample?: (seed: number, sizes: number[]) => number[][] }

const CASES: Record<string, Case> = {
  'Pad (constant, negative pads) + Pad (reflect) + Pad (edge)': { tol: 0.01, bytes: () => {
    const b = new OnnxBuilder('pad');
    b.input('x', [1, 1, 3, 3]);
    b.node('Pad', ['x', b.initInt64('p', [8], [0, 0, 1, -1, 0, 0, 1, 2]), b.init('v', [], [0.5])], ['a']); // [1,1,5,4]
    b.node('Pad', ['x', b.initInt64('p2', [8], [0, 0, 1, 1, 0, 0, 1, 1])], ['r'], { mode: 'reflect' }); // [1,1,5,5]
    b.node('Pad', ['x', b.initInt64('p3', [8], [0, 0, 0, 2, 0, 0, 0, 0])], ['e'], { mode: 'edge' }); // [1,1,3,5]
    b.node('Flatten', ['a'], ['fa']); b.node('Flatten', ['r'], ['fr']); b.node('Flatten', ['e'], ['fe']);
    b.node('Concat', ['fa', 'fr', 'fe'], ['y'], { axis: 1 });
    b.output('y', [1, 20 + 25 + 15]);
    return b.toBytes();
  } },
  'Pad (opset 10 attributes) → Relu': { tol: 0.01, bytes: () => oneOp('pad10', [1, 2, 2], [1, 4, 3], (b) => {
    b.node('Pad', ['x'], ['p'], { pads: [0, 1, 0, 0, 1, 1], value: { float: -0.25 } });
    b.node('Relu', ['p'], ['y']);
  }, 10) },
  'Max/Min (variadic, constants), Clip, Abs, Neg': { tol: 0.01, bytes: () => {
    const b = new OnnxBuilder('minmax');
    b.input('a', [1, 4]);
    b.input('b', [1, 4]);
    b.node('Max', ['a', 'b', b.init('k', [4], [0.1, -0.2, 0.3, -1])], ['m1']);
    b.node('Min', ['a', b.init('k2', [1], [0.25])], ['m2']);
    b.node('Clip', ['a', b.init('lo', [], [-0.5]), b.init('hi', [], [0.7])], ['c']);
    b.node('Clip', ['b', '', b.init('hi2', [], [0.2])], ['c2']);
    b.node('Abs', ['b'], ['ab']);
    b.node('Neg', ['a'], ['ng']);
    b.node('Concat', ['m1', 'm2', 'c', 'c2', 'ab', 'ng'], ['y'], { axis: 1 });
    b.output('y', [1, 24]);
    return b.toBytes();
  } },
  'Greater/Less/Equal/GreaterOrEqual/LessOrEqual/Not, Where (computed and constant condition), Cast': {
    tol: 0.01, sample: (seed, sizes) => sizes.map((n, i) => grid(seed + i, n)), bytes: () => {
      const b = new OnnxBuilder('compare');
      b.input('a', [1, 4]);
      b.input('b', [1, 4]);
      b.node('Greater', ['a', 'b'], ['g']);
      b.node('Less', ['a', b.init('z', [], [0])], ['l']);
      b.node('Equal', ['a', 'b'], ['e']);
      b.node('GreaterOrEqual', ['a', 'b'], ['ge']);
      b.node('LessOrEqual', ['b', b.init('h', [], [0.5])], ['le']);
      b.node('Not', ['e'], ['ne']);
      b.node('Where', ['g', 'a', 'b'], ['w']);
      b.node('Where', ['ne', b.init('c1', [1, 4], [1, 2, 3, 4]), 'b'], ['w1']);
      b.node('Cast', [b.init('cc', [4], [1, 0, 0, 1])], ['ccb'], { to: BOOL }); // folded: a constant condition
      b.node('Where', ['ccb', 'w', 'w1'], ['w2']);
      // (Greater, Equal and GreaterOrEqual of the same pair as three outputs would tie outputs linearly, e = ge − g,
      // which circom -O2 folds beyond the per-output accounting; GreaterOrEqual feeds a Where instead)
      b.node('Where', ['ge', 'b', 'a'], ['wge']);
      const outs = ['g', 'l', 'e', 'le'].map((t) => b.node('Cast', [t], [`${t}f`], { to: 1 }));
      b.node('Concat', [...outs, 'w', 'w1', 'w2', 'wge'], ['y'], { axis: 1 });
      b.output('y', [1, 32]);
      return b.toBytes();
    },
  },
  'bool and int64 graph inputs: Where on a bool mask, Cast int→float, Cast float→int64 and →bool': {
    tol: 0.01,
    sample: (seed, sizes) => [rand(seed, sizes[0]!).map((v) => (v > 0 ? 1 : 0)), rand(seed + 1, sizes[1]!, 3).map(Math.round), rand(seed + 2, sizes[2]!, 1.5)],
    bytes: () => {
      const b = new OnnxBuilder('typed');
      b.input('mask', [1, 4], BOOL);
      b.input('k', [1, 4], INT64);
      b.input('x', [1, 4]);
      b.node('Where', ['mask', 'x', b.init('zero', [], [0])], ['wm']);
      b.node('Cast', ['k'], ['kf'], { to: 1 });
      b.node('Mul', ['kf', 'x'], ['kx']);
      b.node('Relu', ['x'], ['rx']);
      b.node('Cast', ['rx'], ['ri'], { to: INT64 });
      b.node('Cast', ['ri'], ['rf'], { to: 1 });
      b.node('Cast', ['x'], ['xb'], { to: BOOL });
      b.node('Cast', ['xb'], ['xbf'], { to: 1 });
      b.node('Concat', ['wm', 'kx', 'rf', 'xbf'], ['y'], { axis: 1 });
      b.output('y', [1, 16]);
      return b.toBytes();
    },
  },
  'Expand, Tile, Split, Slice, Gather, Concat on computed tensors': { tol: 0.01, bytes: () => {
    const b = new OnnxBuilder('moves');
    b.input('x', [1, 2, 3]);
    b.node('Relu', ['x'], ['r']);
    b.node('Expand', ['r', b.initInt64('es', [3], [2, 2, 3])], ['ex']);
    b.node('Tile', ['r', b.initInt64('tr', [3], [1, 2, 1])], ['ti']);
    b.node('Split', ['r', b.initInt64('sp', [2], [1, 2])], ['s1', 's2'], { axis: 2 });
    b.node('Slice', ['ti', b.initInt64('st', [1], [1]), b.initInt64('en', [1], [4]), b.initInt64('ax', [1], [1])], ['sl']);
    b.node('Gather', ['ex', b.initInt64('gi', [2], [1, 0])], ['ga'], { axis: 0 });
    for (const t of ['ga', 'sl', 's1', 's2']) b.node('Flatten', [t], [`${t}F`], { axis: 0 });
    b.node('Concat', ['gaF', 'slF', 's1F', 's2F'], ['y'], { axis: 1 });
    b.output('y', [1, 12 + 9 + 2 + 4]);
    b.output('s2', [1, 2, 2]);
    return b.toBytes();
  } },
  'ReduceSum, ReduceMean, ReduceMax, ReduceMin, GlobalAveragePool': { tol: 0.01, bytes: () => {
    const b = new OnnxBuilder('reduce');
    b.input('x', [1, 2, 2, 3]);
    b.node('ReduceSum', ['x', b.initInt64('ax', [1], [3])], ['rs'], { keepdims: 0 }); // [1,2,2]
    b.node('ReduceMean', ['x'], ['rm'], { axes: [1, 2] }); // [1,1,1,3]
    b.node('ReduceMax', ['x'], ['rx'], { axes: [-1], keepdims: 1 }); // [1,2,2,1]
    b.node('ReduceMin', ['x'], ['rn'], { keepdims: 0 }); // []
    b.node('GlobalAveragePool', ['x'], ['gp']); // [1,2,1,1]
    for (const t of ['rs', 'rm', 'rx', 'gp']) b.node('Flatten', [t], [`${t}F`], { axis: 0 });
    b.node('Reshape', ['rn', b.initInt64('one', [2], [1, 1])], ['rnF']);
    b.node('Concat', ['rsF', 'rmF', 'rxF', 'gpF', 'rnF'], ['y'], { axis: 1 });
    b.output('y', [1, 4 + 3 + 4 + 2 + 1]);
    return b.toBytes();
  } },
  'MatMul of two computed tensors, Mul by a computed tensor': { tol: 0.02, bytes: () => {
    const b = new OnnxBuilder('bilinear');
    b.input('a', [1, 2, 3]);
    b.input('b', [1, 3, 2]);
    b.node('MatMul', ['a', 'b'], ['m']);
    b.node('Transpose', ['b'], ['bt'], { perm: [0, 2, 1] });
    b.node('Mul', ['a', 'bt'], ['p']);
    b.node('Flatten', ['m'], ['mF'], { axis: 0 });
    b.node('Flatten', ['p'], ['pF'], { axis: 0 });
    b.node('Concat', ['mF', 'pF'], ['y'], { axis: 1 });
    b.output('y', [1, 4 + 6]);
    return b.toBytes();
  } },
  'HardSigmoid, HardSwish, LeakyRelu, Erf, Gelu (opset 20) and the exported GELU pattern': { tol: 0.02, bytes: () => {
    const b = new OnnxBuilder('acts', 20);
    b.input('x', [1, 8]);
    b.node('HardSigmoid', ['x'], ['hs'], { alpha: { float: 0.25 }, beta: { float: 0.4 } });
    b.node('HardSwish', ['x'], ['hw']);
    b.node('LeakyRelu', ['x'], ['lr'], { alpha: { float: 0.1 } });
    b.node('Erf', ['x'], ['er']);
    b.node('Gelu', ['x'], ['ge']);
    // torch.nn.GELU as exported before opset 20: x · 0.5 · (1 + erf(x / √2))
    b.node('Div', ['x', b.init('r2', [], [Math.SQRT2])], ['xd']);
    b.node('Erf', ['xd'], ['xe']);
    b.node('Add', ['xe', b.init('one', [], [1])], ['xa']);
    b.node('Mul', ['x', 'xa'], ['xm']);
    b.node('Mul', ['xm', b.init('half', [], [0.5])], ['gp']);
    b.node('Concat', ['hs', 'hw', 'lr', 'er', 'ge', 'gp'], ['y'], { axis: 1 });
    b.output('y', [1, 48]);
    return b.toBytes();
  } },
  'grouped Conv, depthwise Conv, BatchNormalization folding, Identity, Dropout': { tol: 0.03, bytes: () => oneOp('groupconv', [1, 4, 4, 4], [1, 4, 4, 4], (b) => {
    b.node('Conv', ['x', b.init('w', [4, 2, 3, 3], rand(5, 72, 0.4)), b.init('cb', [4], rand(6, 4, 0.1))], ['c'], { group: 2, pads: [1, 1, 1, 1] });
    b.node('BatchNormalization', ['c', b.init('s', [4], [1.2, 0.8, 1, 0.5]), b.init('bb', [4], [0.1, 0, -0.1, 0.2]), b.init('m', [4], [0, 0.1, 0, -0.1]), b.init('v', [4], [1, 2, 0.5, 1])], ['n']);
    b.node('Relu', ['n'], ['r']);
    b.node('Identity', ['r'], ['i']);
    b.node('Dropout', ['i'], ['d']);
    b.node('Conv', ['d', b.init('dw', [4, 1, 3, 3], rand(7, 36, 0.4))], ['y'], { group: 4, pads: [1, 1, 1, 1] });
  }) },
  'bidirectional LSTM → reverse LSTM with initial states (onnxruntime has no layout=1 LSTM to compare with)': { tol: 0.03, bytes: () => {
    const b = new OnnxBuilder('bilstm');
    const T = 3, I = 2, H = 2;
    b.input('x', [T, 1, I]);
    b.node('LSTM', ['x', b.init('W', [2, 4 * H, I], rand(41, 32, 0.6)), b.init('R', [2, 4 * H, H], rand(42, 32, 0.6)), b.init('B', [2, 8 * H], rand(43, 32, 0.2))],
      ['Y', 'Yh'], { hidden_size: H, direction: 'bidirectional' }); // Y [T,2,1,H]
    b.node('Transpose', ['Y'], ['Yt'], { perm: [0, 2, 1, 3] }); // [T,1,2,H]
    b.node('Reshape', ['Yt', b.initInt64('sh', [3], [T, 1, 2 * H])], ['Z']); // [T,1,2H]
    b.node('LSTM', ['Z', b.init('W2', [1, 4 * H, 2 * H], rand(44, 32, 0.6)), b.init('R2', [1, 4 * H, H], rand(45, 16, 0.6)), b.init('B2', [1, 8 * H], rand(46, 16, 0.2)),
      '', b.init('h0', [1, 1, H], [0.1, -0.2]), b.init('c0', [1, 1, H], [0.3, 0.05])], ['Y2', 'Yh2', 'Yc2'], { hidden_size: H, direction: 'reverse' });
    b.output('Y2', [T, 1, 1, H]);
    b.output('Yh', [2, 1, H]);
    b.output('Yc2', [1, 1, H]);
    return b.toBytes();
  } },
  'GRU (linear_before_reset as PyTorch exports it) → bidirectional GRU': { tol: 0.03, bytes: () => {
    const b = new OnnxBuilder('gru');
    const T = 3, I = 2, H = 2;
    b.input('x', [T, 1, I]);
    b.node('GRU', ['x', b.init('W', [1, 3 * H, I], rand(51, 12, 0.7)), b.init('R', [1, 3 * H, H], rand(52, 12, 0.7)), b.init('B', [1, 6 * H], rand(53, 12, 0.3)),
      '', b.init('h0', [1, 1, H], [0.2, -0.1])], ['Y', 'Yh'], { hidden_size: H, linear_before_reset: 1 }); // Y [T,1,1,H]
    b.node('Squeeze', ['Y', b.initInt64('ax', [1], [1])], ['S']); // [T,1,H]
    b.node('GRU', ['S', b.init('W2', [2, 3 * H, H], rand(54, 24, 0.7)), b.init('R2', [2, 3 * H, H], rand(55, 24, 0.7)), b.init('B2', [2, 6 * H], rand(56, 24, 0.3))],
      ['Y2'], { hidden_size: H, direction: 'bidirectional' });
    b.output('Y2', [T, 2, 1, H]);
    b.output('Yh', [1, 1, H]);
    return b.toBytes();
  } },
};

async function fidelity(name: string, c: Case): Promise<void> {
  const bytes = c.bytes();
  const g = importOnnx(bytes, name);
  const sizes = g.inputs.map((vi) => sizeOf(vi.shape));
  const samples = [21, 22, 23].map((seed) => c.sample?.(seed, sizes) ?? sizes.map((n, i) => rand(seed + i, n, 1.5)));
  const ort = await runOnnxRuntime(bytes, g, samples);
  const low = quantizeGraph(g, 8, undefined);
  samples.forEach((sample, k) => {
    const ref = ort[k]!.flatMap((t) => Array.from(t));
    const ours = evaluateGraph(g, sample).flatMap((t) => Array.from(t.data));
    assert.equal(ours.length, ref.length);
    ours.forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) < 1e-4, `${name}: float [${i}] ${v} vs onnxruntime ${ref[i]}`));
    emulateFloat(low, sample).forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) <= c.tol, `${name}: circuit [${i}] ${v} vs onnxruntime ${ref[i]}`));
  });
}

for (const [name, c] of Object.entries(CASES)) {
  test(`op coverage: ${name}`, async () => {
    await fidelity(name, c);
    await checkCircuit(name, c.bytes(), { seeds: [11], tampers: 12 });
  });
}
