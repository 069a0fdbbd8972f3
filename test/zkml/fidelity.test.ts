// Fidelity by design (docs/zkml-compile.md, "Precision presets"): activation bounds per preset, the exact circuit
// emulation (= the witness) against onnxruntime-node per preset on small real models, outputs at their natural or
// requested scale, the scale search, and `zkinfer compile --precision` from the CLI (metadata and printed error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { choosePrecision, chooseScale, compile, errorOf, quantizeGraph } from '../../src/zkml/compile.js';
import { InvalidInputError } from '../../src/errors/base.js';
import { evaluateGraph } from '../../src/zkml/ir/evaluate.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { actMaxError, actOutputScale, buildActTable, type ActFn } from '../../src/zkml/quantize/activation.js';
import { defaultSamples, samplesFromInputData, type Sample } from '../../src/zkml/quantize/calibration.js';
import { errorGoal, parsePrecision, PRECISIONS, presetVariants, PRESETS, type Precision } from '../../src/zkml/quantize/precision.js';
import { emulate, programCost } from '../../src/zkml/quantize/program.js';
import { linEval } from '../../src/zkml/quantize/lin.js';
import { toFixed } from '../../src/zkml/fixed-point.js';
import { repoRoot } from '../fixtures/onnx/paths.js';
import { calibrationData } from '../../src/models/calibration.js';
import { readModelCard } from '../../src/models/card.js';
import { stakingLstm } from '../../src/models/zoo/staking-lstm.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';
import { testCache, zkinfer } from './prove-fixtures.js';

const CORPUS = join(repoRoot(), 'test/fixtures/onnx/corpus');

/** Stated max error of each table at working scale s = 10 (docs/zkml-compile.md, "Precision presets"). */
const ACT_BOUND: Record<Precision, Record<'sigmoid' | 'tanh' | 'erf', number>> = {
  fast: { sigmoid: 9e-3, tanh: 5.5e-3, erf: 6.5e-3 },
  balanced: { sigmoid: 2.2e-3, tanh: 1.4e-3, erf: 1.6e-3 },
  accurate: { sigmoid: 5.5e-4, tanh: 3.2e-4, erf: 4e-4 },
};

test('activation tables: the stated max error per preset holds and shrinks from fast to accurate', () => {
  const s = 10;
  for (const fn of ['sigmoid', 'tanh', 'erf'] as const) {
    let prev = Infinity;
    for (const name of PRECISIONS) {
      const p = PRESETS[name], st = s + p.offsetBits, shape = p.act[fn];
      const err = actMaxError(buildActTable(fn, st, actOutputScale(fn, st, s, shape, p.outBits), shape), st, 13);
      assert.ok(err <= ACT_BOUND[name][fn], `${name} ${fn}: ${err} > ${ACT_BOUND[name][fn]}`);
      assert.ok(err < prev / 2, `${name} ${fn} (${err}) must be well below the cheaper preset (${prev})`);
      prev = err;
    }
  }
  // balanced's table variant: 64 sigmoid segments (offset at s, no extra output bits)
  const v = presetVariants(PRESETS.balanced)[1]!, sh = v.act.sigmoid;
  assert.ok(actMaxError(buildActTable('sigmoid', s, actOutputScale('sigmoid', s, s, sh, v.outBits), sh), s, 13) <= 1.2e-3);
});

async function measure(bytes: Uint8Array, name: string, samples: Sample[], precision: Precision, scale = PRESETS[precision].defaultScale) {
  const g = importOnnx(bytes, name);
  const low = quantizeGraph(g, scale, samples, { precision: PRESETS[precision] });
  const ref = (await runOnnxRuntime(bytes, g, samples)).map((o) => o.flatMap((t) => Array.from(t)));
  return { err: errorOf(low, samples, ref), cost: programCost(low.program), low };
}

/** Max abs error vs onnxruntime bounds per preset (each preset's default scale), on 8 uniform samples in [−1, 1]. */
const MODELS: Record<string, Record<Precision, number>> = {
  lstm: { fast: 8e-3, balanced: 1.3e-3, accurate: 3.5e-4 },
  gru: { fast: 6e-3, balanced: 1.3e-3, accurate: 2e-4 },
  '2l_relu_sigmoid_small': { fast: 9e-3, balanced: 2.5e-3, accurate: 4.5e-4 },
};

for (const [name, bound] of Object.entries(MODELS)) {
  test(`corpus ${name}: emulated circuit vs onnxruntime per preset — error within bound, falls as constraints rise`, async () => {
    const bytes = readFileSync(join(CORPUS, name, 'network.onnx'));
    const samples = defaultSamples(importOnnx(bytes, name), 8);
    let prev: { err: number; cost: number } | undefined;
    for (const p of PRECISIONS) {
      const { err, cost } = await measure(bytes, name, samples, p);
      assert.ok(err.maxAbs <= bound[p], `${name} ${p}: max error ${err.maxAbs} > ${bound[p]}`);
      assert.equal(err.perOutput.length, importOnnx(bytes, name).outputs.length);
      if (prev) {
        assert.ok(err.maxAbs < prev.err, `${name} ${p}: error ${err.maxAbs} not below the cheaper preset's ${prev.err}`);
        assert.ok(cost > prev.cost, `${name} ${p}: ${cost} constraints, not above the cheaper preset's ${prev.cost}`);
      }
      prev = { err: err.maxAbs, cost };
    }
  });
}

test('scale search: the first of the preset\'s scales whose error meets its goal, else the most accurate (lstm, input.json)', async () => {
  const bytes = readFileSync(join(CORPUS, 'lstm', 'network.onnx'));
  const g = importOnnx(bytes, 'lstm');
  const samples = samplesFromInputData(g, JSON.parse(readFileSync(join(CORPUS, 'lstm', 'input.json'), 'utf8')).input_data, 'input.json');
  const ref = samples.map((x) => evaluateGraph(g, x).flatMap((t) => Array.from(t.data)));
  const goalOf = (p: Precision) => errorGoal(PRESETS[p], Math.max(...ref.flat().map(Math.abs)));
  for (const p of PRECISIONS) {
    const errs = PRESETS[p].scales.map((sc) => errorOf(quantizeGraph(g, sc, samples, { precision: PRESETS[p] }), samples, ref).maxAbs);
    const first = errs.findIndex((e) => e <= goalOf(p));
    const want = first >= 0 ? PRESETS[p].scales[first] : PRESETS[p].scales[errs.indexOf(Math.min(...errs))];
    assert.equal(chooseScale(g, samples, PRESETS[p]), want, `${p}: errors ${errs.map((e) => e.toExponential(1))}`);
  }
});

test('stacked LSTM (tf2onnx, 2 × h50, 5 steps): balanced ≤ 1e-3 and accurate ≤ 2e-4 vs onnxruntime (issue targets)', async () => {
  const bytes = readFileSync(join(CORPUS, 'lstm_medium', 'network.onnx'));
  const samples = defaultSamples(importOnnx(bytes, 'lstm_medium'), 16);
  // the scales bench:fidelity's search picks on these samples (docs/zkml-compile.md, "Fidelity targets")
  const balanced = await measure(bytes, 'lstm_medium', samples, 'balanced', 10);
  assert.ok(balanced.err.maxAbs <= 1e-3, `balanced: ${balanced.err.maxAbs}`);
  const accurate = await measure(bytes, 'lstm_medium', samples, 'accurate', 12);
  assert.ok(accurate.err.maxAbs <= 2e-4, `accurate: ${accurate.err.maxAbs}`);
});

test('staking LSTM (zoo): the balanced search picks the cheapest setting within 1e-3 of onnxruntime; its held-out error', async () => {
  const dir = join(repoRoot(), 'models/staking-lstm');
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const g = importOnnx(bytes, 'staking-lstm');
  const samples = samplesFromInputData(g, JSON.parse(readFileSync(join(dir, 'calibration.json'), 'utf8')).input_data, 'calibration.json');
  const ref = (await runOnnxRuntime(bytes, g, samples)).map((o) => o.flatMap((t) => Array.from(t)));
  const { scale, preset } = choosePrecision(g, samples, PRESETS.balanced);
  const low = quantizeGraph(g, scale, samples, { precision: preset });
  const err = errorOf(low, samples, ref).maxAbs, cost = programCost(low.program);
  assert.ok(err <= 1e-3, `error ${err}`);
  // #12's target: ≤ 1.3 × 17,262 = 22,440 constraints (the LSTM variant meets the goal at 10; the preset alone needs 11)
  assert.ok(cost <= 22_440, `${cost} constraints`);
  assert.deepEqual(preset, presetVariants(PRESETS.balanced)[2]);
  assert.equal(low.inputs[0]!.scale, scale + 1, 'the LSTM input is read one bit finer (lstmInBits)');
  const base = quantizeGraph(g, chooseScale(g, samples, PRESETS.balanced), samples, { precision: PRESETS.balanced });
  assert.ok(cost < programCost(base.program), 'the chosen variant is cheaper than the preset at its own scale');
  // held out (docs/zkml-compile.md "Fidelity targets"): 64 other generator samples (seed 2; calibration.json is seed 1),
  // never seen by the search or the windows. Measured 9.5e-4 (1.23e-3 before the LSTM variant's finer input, c and
  // h; 1.7e-3 before the rounded cell state, the finer last step and the 1 + 3σ window margin): #12's 1e-3
  const held = samplesFromInputData(g, calibrationData(stakingLstm, readModelCard(dir), 64, 2).input_data, 'held-out').slice(0, 64);
  const heldRef = (await runOnnxRuntime(bytes, g, held)).map((o) => o.flatMap((t) => Array.from(t)));
  const heldErr = errorOf(low, held, heldRef);
  assert.ok(heldErr.maxAbs <= 1e-3, `held-out max error ${heldErr.maxAbs}`);
  assert.ok(heldErr.meanAbs <= 3.2e-4, `held-out mean error ${heldErr.meanAbs}`);
  assert.equal(windowsLeft(low, held), 0, 'a held-out input left a calibrated window (margin 1 + 3σ)');
});

/** How many (calibrated window, sample) pairs put the window's input beyond it (where the table saturates early). */
function windowsLeft(low: ReturnType<typeof quantizeGraph>, samples: Sample[]): number {
  let n = 0;
  for (const sm of samples) {
    const v = emulate(low.program, sm.flatMap((a) => a.map((x) => toFixed(x, low.scale)))).signals;
    for (const g of low.program.gadgets) {
      if (g.kind !== 'act' || g.table.c === undefined || g.table.k >= PRESETS.balanced.act[g.table.fn].k) continue;
      const x = linEval(g.x, v), lim = 1n << BigInt(g.table.k + g.sx);
      if (x < -lim || x >= lim) n++;
    }
  }
  return n;
}

function gemmModel(): Uint8Array {
  const b = new OnnxBuilder('head');
  b.input('x', [1, 4]);
  b.node('Gemm', ['x', b.init('w', [3, 4], [0.3, -0.7, 0.11, 0.5, -0.2, 0.9, 0.4, -0.05, 0.6, 0.25, -0.8, 0.15]), b.init('b', [3], [0.01, -0.3, 0.2])], ['h'], { transB: 1 });
  b.node('Sigmoid', ['h'], ['y']);
  b.node('Gemm', ['y', b.init('w2', [2, 3], [0.5, -1.5, 0.75, 2.5, 0.125, -0.6]), b.init('b2', [2], [0.1, -0.2])], ['z'], { transB: 1 });
  b.output('z', [1, 2]);
  return b.toBytes();
}

test('outputs keep their natural scale (no rounding spent); --output-scale rounds them once, at that scale', async () => {
  const bytes = gemmModel(), g = importOnnx(bytes, 'head');
  const samples = defaultSamples(g, 6);
  const natural = quantizeGraph(g, 8, undefined, { precision: PRESETS.balanced });
  assert.ok(natural.outputs[0]!.scale > 8, 'the head output stays at the product scale');
  assert.ok(!natural.program.gadgets.some((x) => x.node.startsWith('output:')), 'no gadget at the output');
  const rounded = quantizeGraph(g, 8, undefined, { precision: PRESETS.balanced, outputScale: 6 });
  assert.equal(rounded.outputs[0]!.scale, 6);
  const outGadgets = rounded.program.gadgets.filter((x) => x.node.startsWith('output:'));
  assert.equal(outGadgets.length, 2, 'one rescale per output element');
  assert.ok(outGadgets.every((x) => x.kind === 'rescale'));
  const up = quantizeGraph(g, 8, undefined, { precision: PRESETS.balanced, outputScale: 40 });
  assert.equal(up.outputs[0]!.scale, 40);
  assert.equal(programCost(up.program), programCost(natural.program), 'scaling an output up is free');
  const ref = (await runOnnxRuntime(bytes, g, samples)).map((o) => o.flatMap((t) => Array.from(t)));
  assert.ok(errorOf(natural, samples, ref).maxAbs < errorOf(rounded, samples, ref).maxAbs, 'rounding to 6 bits costs accuracy');
  assert.ok(errorOf(rounded, samples, ref).maxAbs <= 2 ** -7 + 3e-3);
});

function actsModel(): Uint8Array {
  const b = new OnnxBuilder('acts');
  b.input('x', [1, 3]);
  b.node('Gemm', ['x', b.init('w', [3, 3], [1.5, -2, 0.7, 3, 0.4, -1.1, -0.6, 2.2, 1.9]), b.init('b', [3], [0.3, -0.2, 0.1])], ['h'], { transB: 1 });
  b.node('Sigmoid', ['h'], ['s']);
  b.node('Tanh', ['h'], ['t']);
  b.node('Erf', ['h'], ['e']);
  b.node('Concat', ['s', 't', 'e'], ['y'], { axis: 1 });
  b.output('y', [1, 9]);
  return b.toBytes();
}

for (const [p, precision] of [['balanced', PRESETS.balanced], ['balanced-v1', presetVariants(PRESETS.balanced)[1]!], ['accurate', PRESETS.accurate]] as const) {
  test(`soundness harness on ${p}'s finer tables (sigmoid, tanh, erf): honest witness = emulation, tampering fails`, async () => {
    await checkCircuit(`acts-${p}`, actsModel(), { seeds: [11], tampers: 12, precision });
  });
}

test('compile refuses a bad --output-scale or --precision with a typed error before any work', async () => {
  const model = join(CORPUS, '1l_mlp', 'network.onnx'), outDir = join(testCache, 'fid-never');
  await assert.rejects(compile(model, { outDir, outputScale: 99 }), (e: unknown) => e instanceof InvalidInputError && /--output-scale must be an integer from 0 to 64/.test(e.message));
  await assert.rejects(compile(model, { outDir, precision: 'max' as Precision }), (e: unknown) => e instanceof InvalidInputError && /--precision must be one of/.test(e.message));
  assert.ok(!existsSync(outDir), 'nothing written');
});

test('parsePrecision: presets by name, a typed error naming them otherwise', () => {
  assert.equal(parsePrecision(undefined), 'balanced');
  assert.equal(parsePrecision('accurate'), 'accurate');
  assert.throws(() => parsePrecision('max'), (e: unknown) => e instanceof Error && /fast, balanced, accurate.*"max"/.test(e.message));
});

test('zkinfer compile --precision: refuses an unknown preset; stores the preset and per-output error in metadata', () => {
  const model = join(CORPUS, '1l_mlp', 'network.onnx'), input = join(CORPUS, '1l_mlp', 'input.json');
  const env = { ZKINFER_CACHE_DIR: testCache };
  const bad = zkinfer(['compile', model, '--out', join(testCache, 'fid-bad'), '--precision', 'ultra'], env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr + bad.stdout, /--precision must be one of fast, balanced, accurate/);
  const dir = join(testCache, 'fid-cli', 'art');
  const c = zkinfer(['compile', model, '--out', dir, '--calibration', input, '--precision', 'accurate'], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  assert.match(c.stdout, /precision accurate/);
  assert.match(c.stdout, /error vs onnxruntime .*\n\s+output "[^"]+": max [0-9.e+-]+\s+mean/);
  const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  assert.equal(meta.precision, 'accurate');
  assert.equal(meta.error.perOutput.length, 1);
  assert.ok(meta.error.perOutput[0].maxAbs <= meta.error.maxAbs);
  assert.ok(meta.error.maxAbs < 1e-3, `1l_mlp accurate: ${meta.error.maxAbs}`);
});
