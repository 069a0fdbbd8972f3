// Calibrated activation windows (docs/zkml-compile.md "Calibrated activation windows"): with calibration samples,
// balanced shrinks each sigmoid/tanh window to its input's calibrated range (plus a margin), keeping the segments.
// On the calibration samples the windowed program computes exactly what the preset's tables compute, with fewer
// constraints; outside its window a table saturates to f at the edges; and the windowed circuit passes the
// witness-mutation harness (honest witness = emulation, tampered quotient / remainder / product / output fails); and
// a real-CLI compile --calibration → prove → verify of a windowed circuit.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toFixed } from '../../src/zkml/fixed-point.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { quantizeGraph } from '../../src/zkml/compile.js';
import { ACT_FN, buildActTable } from '../../src/zkml/quantize/activation.js';
import { PRESETS, presetVariants } from '../../src/zkml/quantize/precision.js';
import { emulate, programCost, type FixedProgram } from '../../src/zkml/quantize/program.js';
import { sizeOf } from '../../src/zkml/ir/tensor.js';
import { programFromJson, programToJson } from '../../src/zkml/witness/program-file.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { BURN_LSTM } from '../fixtures/onnx/paths.js';
import { cliRoundTrip } from '../fixtures/onnx/cli-roundtrip.js';
import { testCache } from './prove-fixtures.js';
import { rand } from '../fixtures/onnx/models.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';

const bytes = readFileSync(BURN_LSTM);
const graph = importOnnx(bytes, 'burn-pytorch-lstm');
const samples = Array.from({ length: 10 }, (_, i) => graph.inputs.map((vi, k) => rand(100 + 10 * i + k, sizeOf(vi.shape), 1)));
// a calibrated window is smaller than the preset's (a table may also be centred half a step off 0 to round an LSTM's
// cell state: docs/zkml-compile.md "LSTM precision")
const windowed = (p: FixedProgram, preset = PRESETS.balanced) => p.gadgets.filter((g) => g.kind === 'act' && g.table.c !== undefined && g.table.k < preset.act[g.table.fn].k).length;
const outputs = (p: FixedProgram, scale: number) => samples.map((sm) => emulate(p, sm.flatMap((a) => a.map((v) => toFixed(v, scale)))).outputs);

for (const [label, preset] of [['balanced', PRESETS.balanced], ['balanced-v1', presetVariants(PRESETS.balanced)[1]!]] as const) {
  test(`calibrated windows (${label}, PyTorch LSTM): same outputs on the calibration samples, fewer constraints`, () => {
    const win = quantizeGraph(graph, 9, samples, { precision: preset });
    const plain = quantizeGraph(graph, 9, samples, { precision: { ...preset, windowMargin: undefined } });
    assert.ok(windowed(win.program) > 0, 'some tables take a calibrated window');
    assert.equal(windowed(plain.program), 0);
    assert.ok(programCost(win.program) < programCost(plain.program), `${programCost(win.program)} < ${programCost(plain.program)}`);
    assert.deepEqual(outputs(win.program, 9), outputs(plain.program, 9));
    // the witness program file keeps the windows (centre included): the same outputs after a round trip
    assert.deepEqual(outputs(programFromJson(programToJson(win.program)), 9), outputs(win.program, 9));
    // too few samples to calibrate on: the preset's tables
    assert.equal(windowed(quantizeGraph(graph, 9, samples.slice(0, 3), { precision: preset }).program), 0);
  });
}

test('a calibrated table is f(c + x) on its window and saturates to f at the window edges', () => {
  const tb = buildActTable('sigmoid', 8, 15, { k: 1, j: 2, c: 2.5 });
  assert.equal(tb.c, 2.5);
  assert.equal(tb.satLo, BigInt(Math.round(ACT_FN.sigmoid(0.5) * 2 ** 15)));
  assert.equal(tb.satHi, BigInt(Math.round(ACT_FN.sigmoid(4.5) * 2 ** 15)));
  // the first segment starts at c − 2: its line at t = 0 is within the table's error of f(0.5)
  assert.ok(Math.abs(Number(tb.A[0]!) / 2 ** 15 - ACT_FN.sigmoid(0.5)) < 2e-3);
  const odd = buildActTable('tanh', 8, 15, { k: 0, j: 2, c: -1 });
  assert.equal(odd.satLo, BigInt(Math.round(Math.tanh(-2) * 2 ** 15)));
  assert.equal(odd.satHi, 0n);
});

test('soundness: the PyTorch LSTM with calibrated windows (balanced-v1)', async () => {
  await checkCircuit('burn-pytorch-lstm-windowed', bytes, { seeds: [11], tampers: 6, precision: presetVariants(PRESETS.balanced)[1]!, samples });
});

test('soundness: the PyTorch LSTM with its input one bit finer and fewer early gate segments (balanced-v2)', async () => {
  const v2 = presetVariants(PRESETS.balanced)[2]!;
  const low = quantizeGraph(graph, 9, samples, { precision: v2 });
  assert.equal(low.inputs[0]!.scale, 10, 'the graph input read by the LSTM is at s + lstmInBits');
  assert.ok(programCost(low.program) < programCost(quantizeGraph(graph, 9, samples, { precision: { ...v2, lstmEarlyJ: 0 } }).program),
    'the early steps\' gate sigmoids take fewer segments');
  await checkCircuit('burn-pytorch-lstm-v2', bytes, { seeds: [11], tampers: 6, precision: v2, samples });
});

test('zkinfer compile --calibration (10 samples) → prove → verify with calibrated windows, from the CLI', async () => {
  const b = new OnnxBuilder('winsig', 13);
  b.input('x', [1, 8]);
  b.node('Mul', ['x', b.init('h', [], [0.5])], ['u']);
  b.node('Sigmoid', ['u'], ['s']);
  b.node('Tanh', ['u'], ['t']);
  b.node('Concat', ['s', 't'], ['y'], { axis: 1 });
  b.output('y', [1, 16]);
  const bytes = b.toBytes();
  const cal = Array.from({ length: 10 }, (_, i) => rand(200 + i, 8, 1));
  const low = quantizeGraph(importOnnx(bytes, 'winsig'), 8, cal.map((c) => [c]));
  // each window covers the calibrated range + 1 + 3σ (σ over the 10 samples): every sigmoid's window shrinks (from
  // ±8); a tanh's (±4) shrinks only where its input's spread is small
  const sig = low.program.gadgets.filter((g) => g.kind === 'act' && g.table.fn === 'sigmoid');
  assert.ok(sig.every((g) => g.kind === 'act' && g.table.k < 3), 'every sigmoid takes a calibrated window');
  assert.ok(windowed(low.program) >= 8 && windowed(low.program) < 16, `${windowed(low.program)} windows`);
  const dir = join(testCache, 'cli-roundtrip');
  mkdirSync(dir, { recursive: true });
  const calPath = join(dir, 'winsig-calibration.json');
  writeFileSync(calPath, JSON.stringify({ input_data: [cal.flat()] }));
  const input = [rand(300, 8, 1)], other = [input[0]!.map((v, i) => (i === 0 ? v + 0.5 : v))];
  await cliRoundTrip('winsig', bytes, input, other, { tol: 0.01, compileArgs: ['--calibration', calPath] });
});
