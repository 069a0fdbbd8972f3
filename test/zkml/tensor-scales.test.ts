// Per-tensor scales (docs/zkml-compile.md "Per-tensor scales"): a two-input MLP whose inputs differ in range by 10^4
// gets a scale per input (and one for its hidden Relu) from the calibration samples; the search keeps them because
// the error against onnxruntime drops (also on held-out samples) at fewer constraints; the witness-mutation harness
// still rejects every forgery; and the real CLI compiles, proves and verifies it with one input_data array per input.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { choosePrecision, errorOf, quantizeGraph } from '../../src/zkml/compile.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { PRESETS } from '../../src/zkml/quantize/precision.js';
import { programCost } from '../../src/zkml/quantize/program.js';
import { balancedScale } from '../../src/zkml/quantize/tensor-scales.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';
import { standardizedModel, standardizedSamples, wideRangeModel, wideRangeSamples } from '../fixtures/onnx/wide-range.js';
import { testCache, zkinfer } from './prove-fixtures.js';

after(releaseSnarkjsCurve);
const bytes = wideRangeModel();
const graph = importOnnx(bytes, 'wide_range');
const calib = wideRangeSamples(16);
const heldOut = wideRangeSamples(32, 7000);
const flat = async (samples: typeof calib) => (await runOnnxRuntime(bytes, graph, samples)).map((o) => o.flatMap((t) => Array.from(t)));

test('the scale balances the calibrated range against the weights; small shifts keep the working scale', () => {
  assert.equal(balancedScale(1e4, 1e-4, 10, 12), 0, 'a wide input against tiny weights: coarsest (clamped at 0)');
  assert.equal(balancedScale(0.05, 0.8, 8, 10), 11, 'a narrow activation: finer');
  assert.equal(balancedScale(0.05, 0.8, 8, 10, 10), 10, 'no finer than its producer gives');
  assert.equal(balancedScale(1e-6, 1, 8, 10), 16, 'at most MAX_FINER bits finer');
  assert.equal(balancedScale(1, 1, 10, 12), 10, 'a shift of one bit keeps the working scale');
});

test('inputs in [0, 1] and [0, 1e4]: own scales, error down on calibration and held-out samples, fewer constraints', async () => {
  const [refCal, refHeld] = [await flat(calib), await flat(heldOut)];
  const uniform = choosePrecision(graph, calib, { ...PRESETS.balanced, searchTensorScales: false });
  const own = choosePrecision(graph, calib, PRESETS.balanced);
  assert.equal(own.preset.tensorScales, true, 'the search keeps per-tensor scales');
  const lu = quantizeGraph(graph, uniform.scale, calib, { precision: uniform.preset });
  const lo = quantizeGraph(graph, own.scale, calib, { precision: own.preset });
  const [a, b] = lo.inputs;
  assert.ok(a!.scale > b!.scale + 4, `input scales ${a!.scale} and ${b!.scale} differ`);
  assert.ok(b!.rangeBits < lu.inputs[1]!.rangeBits, 'the wide input needs fewer range-check bits');
  assert.ok(lo.ownScales.some((o) => o.tensor === 'r'), 'the hidden Relu output has its own scale');
  const eu = errorOf(lu, calib, refCal).maxAbs, eo = errorOf(lo, calib, refCal).maxAbs;
  assert.ok(eo <= 1e-3, `per-tensor error ${eo} meets the balanced goal`);
  assert.ok(eo < eu / 4, `per-tensor ${eo} vs uniform ${eu}`);
  assert.ok(programCost(lo.program) < programCost(lu.program), 'and costs fewer constraints');
  // at the same working scale too, and on samples the scales were not chosen on
  const same = quantizeGraph(graph, own.scale, calib, { precision: { ...own.preset, tensorScales: false } });
  assert.ok(errorOf(lo, heldOut, refHeld).maxAbs < errorOf(same, heldOut, refHeld).maxAbs / 4);
  assert.ok(errorOf(lo, heldOut, refHeld).maxAbs < errorOf(lu, heldOut, refHeld).maxAbs / 4);
});

test('a StandardScaler (Sub mean, Div std) before the MLP: the input takes its own scale through them', async () => {
  const sb = standardizedModel(), sg = importOnnx(sb, 'standardized'), cal = standardizedSamples(16);
  const ref = (await runOnnxRuntime(sb, sg, cal)).map((o) => o.flatMap((t) => Array.from(t)));
  const uniform = choosePrecision(sg, cal, { ...PRESETS.balanced, searchTensorScales: false });
  const own = choosePrecision(sg, cal, PRESETS.balanced);
  assert.equal(own.preset.tensorScales, true);
  const lo = quantizeGraph(sg, own.scale, cal, { precision: own.preset });
  assert.ok(lo.inputs[0]!.scale < own.scale - 4, `input scale ${lo.inputs[0]!.scale}`);
  const eu = errorOf(quantizeGraph(sg, uniform.scale, cal, { precision: uniform.preset }), cal, ref).maxAbs, eo = errorOf(lo, cal, ref).maxAbs;
  assert.ok(eo <= 2e-3 && eo < eu / 10, `per-tensor ${eo} vs uniform ${eu}`);
});

test('soundness: per-tensor scales keep every gadget constrained (witness mutation harness)', async () => {
  await checkCircuit('wide_range', bytes, { precision: { ...PRESETS.balanced, tensorScales: true }, samples: calib });
  await checkCircuit('standardized', standardizedModel(), { precision: { ...PRESETS.balanced, tensorScales: true }, samples: standardizedSamples(16) });
});

test('the CLI compiles with --calibration, proves and verifies with per-input scales', async () => {
  const work = join(testCache, 'tensor-scales-cli');
  mkdirSync(work, { recursive: true });
  const model = join(work, 'wide.onnx'), cal = join(work, 'cal.json'), input = join(work, 'in.json'), other = join(work, 'other.json');
  writeFileSync(model, bytes);
  writeFileSync(cal, JSON.stringify({ input_data: [calib.flatMap((s) => s[0]!), calib.flatMap((s) => s[1]!)] }));
  const x = heldOut[3]!;
  writeFileSync(input, JSON.stringify({ input_data: x }));
  writeFileSync(other, JSON.stringify({ input_data: [x[0]!, [x[1]![0]! + 64, x[1]![1]!]] }));
  const env = { ZKINFER_CACHE_DIR: testCache };
  const dir = join(work, 'art');
  const c = zkinfer(['compile', model, '--out', dir, '--calibration', cal], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  assert.match(c.stdout, /input scale a \d+, b \d+ bits/);
  const md = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  assert.notEqual(md.inputs[0].scaleBits, md.inputs[1].scaleBits);
  assert.ok(md.error.maxAbs <= 1e-3, `stored error ${md.error.maxAbs}`);
  const proofPath = join(work, 'proof.json');
  const p = zkinfer(['prove', dir, '--input', input, '--out', proofPath], env);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  const proof = JSON.parse(readFileSync(proofPath, 'utf8'));
  const [ref] = await runOnnxRuntime(bytes, graph, [x]);
  proof.outputs[0].forEach((v: number, k: number) => assert.ok(Math.abs(v - ref![0]![k]!) < 2e-3, `out ${k}: ${v} vs onnxruntime ${ref![0]![k]}`));
  assert.equal(zkinfer(['verify', dir, proofPath, '--input', input], env).code, 0);
  assert.equal(zkinfer(['verify', dir, proofPath, '--input', other], env).code, 1, 'a proof does not verify against another wide input');
});
