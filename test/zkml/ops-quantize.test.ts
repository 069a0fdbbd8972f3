// Fast unit tests of the fixed-point lowering (no circom): activation error bounds, per-op quantization error,
// interval bounds, scale choice from calibration, input range checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseScale, emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { evaluateGraph } from '../../src/zkml/ir/evaluate.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { optimizeGraph } from '../../src/zkml/ir/rewrite.js';
import { programCost } from '../../src/zkml/quantize/program.js';
import { lowerGraph } from '../../src/zkml/quantize/lower.js';
import { actEval, actMaxError, actOutputScale, buildActTable } from '../../src/zkml/quantize/activation.js';
import { PRESETS } from '../../src/zkml/quantize/precision.js';
import { samplesFromInputData } from '../../src/zkml/quantize/calibration.js';
import { multilinear } from '../../src/zkml/codegen/circom.js';
import { checkInputRange, InputRangeError } from '../../src/zkml/quantize/input-range.js';
import { emulate, checkWidths } from '../../src/zkml/quantize/program.js';
import { toFixed } from '../../src/zkml/fixed-point.js';
import { cnnModel, lstmModel, miscModel, mlpModel, rand } from '../fixtures/onnx/models.js';

test('documented activation error bounds (docs/zkml-compile.md) hold at scale 8', () => {
  // sigmoid: 16 segments over |x| < 8, output scale 15; tanh: 32 segments over |x| < 4, output scale 13
  // (input at scale 16 as in an LSTM gate)
  const sg = buildActTable('sigmoid', 8, actOutputScale('sigmoid', 8, 8));
  const th = buildActTable('tanh', 8, actOutputScale('tanh', 8, 8));
  assert.deepEqual([sg.so, th.so], [15, 13]);
  assert.ok(actMaxError(sg, 16) <= 0.0095);
  assert.ok(actMaxError(th, 16) <= 0.007);
  // far outside the window the output saturates one step inside the limit (so products of two stay below 1)
  assert.equal(actEval(sg, toFixed(100, 16), 16), (1n << 15n) - 1n);
  assert.equal(actEval(sg, toFixed(-100, 16), 16), 0n);
  assert.equal(actEval(th, toFixed(-9, 16), 16), -((1n << 13n) - 1n));
});

test('multilinear coefficients reproduce the segment table on every selector value', () => {
  const tb = buildActTable('tanh', 8, 16);
  const c = multilinear(tb.A);
  tb.A.forEach((a, seg) => {
    let v = 0n;
    for (let m = 0; m < c.length; m++) if ((m & seg) === m) v += c[m]!;
    assert.equal(v, a);
  });
});

test('every fixture model: the integer emulation tracks the float model and stays inside its proven widths', () => {
  const cases: Array<[string, Uint8Array, number]> = [
    ['mlp', mlpModel(), 0.02], ['cnn', cnnModel(), 0.03], ['misc', miscModel(), 0.03], ['lstm', lstmModel({ layers: 2 }), 0.03],
  ];
  for (const [name, bytes, tol] of cases) {
    const g = importOnnx(bytes, name);
    const low = quantizeGraph(g, 8, undefined);
    for (let k = 0; k < 4; k++) {
      const sample = g.inputs.map((vi, i) => rand(300 + k * 7 + i, sizeOf(vi.shape), 1.9));
      const ref = evaluateGraph(g, sample).flatMap((t) => Array.from(t.data));
      const got = emulateFloat(low, sample);
      got.forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) < tol, `${name}[${i}]: ${v} vs ${ref[i]}`));
      const ints = sample.flat().map((v) => toFixed(v, 8));
      assert.equal(checkWidths(low.program, emulate(low.program, ints).signals), undefined);
    }
  }
});

test('shape-only ops cost no constraints', () => {
  const g = importOnnx(miscModel(), 'misc');
  const low = quantizeGraph(g, 8, undefined);
  const nodesWithGadgets = new Set(low.program.gadgets.map((x) => x.node));
  for (const n of g.nodes) if (['Transpose', 'Gather', 'Unsqueeze', 'Identity', 'Sub', 'Div'].includes(n.op)) assert.ok(!nodesWithGadgets.has(n.name), `${n.op} should be free`);
});

test('calibration: samples split per input, wide inputs widen the range, the scale is chosen by error', () => {
  const g = importOnnx(mlpModel(), 'mlp');
  const samples = samplesFromInputData(g, [rand(1, 12, 5)], 'calib');
  assert.equal(samples.length, 3);
  assert.throws(() => samplesFromInputData(g, [rand(1, 5)], 'calib'), /multiple of 4/);
  const low = quantizeGraph(g, 8, samples);
  assert.ok(low.inputs[0]!.rangeBits >= 8 + 3, 'inputs up to 5 need at least 3 integer bits');
  const s = chooseScale(g, samples);
  assert.ok(PRESETS.balanced.scales.includes(s));
});

test('checkInputRange: length, finiteness and range errors name the tensor and what to do', () => {
  const meta = { name: 'm', inputs: [{ name: 'x', signal: 'in', shape: [1, 2], scaleBits: 8, rangeBits: 10 }] };
  checkInputRange(meta, [[3.99, -3.99]]);
  assert.throws(() => checkInputRange(meta, [[4, 0]]), (e: unknown) => e instanceof InputRangeError && /"x"\[0\] = 4.*\|x\| < 4/.test(e.message));
  assert.throws(() => checkInputRange(meta, [[1]]), /needs 2 values/);
  assert.throws(() => checkInputRange(meta, [[NaN, 0]]), /not a finite number/);
  assert.throws(() => checkInputRange(meta, []), /takes 1 input/);
});

test('Relu → MaxPool is reordered to MaxPool → Relu: same float results, fewer constraints', () => {
  const b = new OnnxBuilder('crp');
  b.input('x', [1, 1, 4, 4]);
  b.node('Conv', ['x', b.init('w', [2, 1, 3, 3], rand(61, 18))], ['c'], { pads: [1, 1, 1, 1] });
  b.node('Relu', ['c'], ['r']);
  b.node('MaxPool', ['r'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] });
  b.output('y', [1, 2, 2, 2]);
  const g = importOnnx(b.toBytes(), 'crp');
  const opt = optimizeGraph(g);
  assert.deepEqual(opt.nodes.map((n) => n.op), ['Conv', 'MaxPool', 'Relu']);
  for (let k = 0; k < 5; k++) {
    const x = [rand(70 + k, 16, 2)];
    assert.deepEqual(Array.from(evaluateGraph(opt, x)[0]!.data), Array.from(evaluateGraph(g, x)[0]!.data));
    const low = quantizeGraph(g, 8, undefined);
    const ref = evaluateGraph(g, x)[0]!.data;
    emulateFloat(low, x).forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) < 0.02));
  }
  // relu on 8 pooled values instead of all 32 conv outputs
  const opts = { scale: 8, inputRangeBits: [11] };
  assert.ok(programCost(lowerGraph(g, opts).program) < programCost(lowerGraph(g, { ...opts, optimize: false }).program));
});

test('consecutive constant-linear ops compose: Conv → BatchNormalization → Relu costs what Conv → Relu costs', () => {
  const build = (bn: boolean) => {
    const b = new OnnxBuilder('cbr');
    b.input('x', [1, 1, 4, 4]);
    b.node('Conv', ['x', b.init('w', [2, 1, 3, 3], rand(81, 18))], ['c'], { pads: [1, 1, 1, 1] });
    if (bn) b.node('BatchNormalization', ['c', b.init('s', [2], [1.5, 0.5]), b.init('bb', [2], [0.1, 0.2]), b.init('m', [2], [0, 0.1]), b.init('v', [2], [1, 2])], ['n']);
    b.node('Relu', [bn ? 'n' : 'c'], ['y']);
    b.output('y', [1, 2, 4, 4]);
    return importOnnx(b.toBytes(), 'cbr');
  };
  const withBn = build(true);
  const low = quantizeGraph(withBn, 8, undefined);
  assert.ok(programCost(low.program) <= programCost(quantizeGraph(build(false), 8, undefined).program) + 32, 'no extra s bits per element');
  for (let k = 0; k < 3; k++) {
    const x = [rand(90 + k, 16, 1.5)];
    const ref = evaluateGraph(withBn, x)[0]!.data;
    emulateFloat(low, x).forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) < 0.02, `${v} vs ${ref[i]}`));
  }
});
