// npm run bench:tensor-scales — per-tensor scales (docs/zkml-compile.md "Per-tensor scales"): for each corpus model
// (test/fixtures/onnx/corpus, its own input.json as calibration), the zoo's staking-lstm (calibration.json), the
// stacked LSTM (lstm_medium), a two-input model whose inputs differ in range by 10^4 and a standardizing MLP on
// inputs in [0, 1e4) (test/fixtures/onnx/wide-range.ts), the calibration search of a
// preset without and with per-tensor scales: the scale it picks, R1CS constraints (programCost = the compiled count)
// and the max abs error of the exact circuit emulation (= the witness) against onnxruntime-node on the same samples.
// No setup or proving. Options: --models a,b (default all)   --preset balanced|accurate (default balanced)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { choosePrecision, errorOf, quantizeGraph } from '../src/zkml/compile.js';
import { importOnnx } from '../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../src/zkml/onnx/runtime.js';
import { samplesFromInputData, type Sample } from '../src/zkml/quantize/calibration.js';
import { PRESETS, type Precision } from '../src/zkml/quantize/precision.js';
import { programCost } from '../src/zkml/quantize/program.js';
import { CORPUS_DIR, CORPUS_MODELS } from '../test/fixtures/onnx/corpus.js';
import { standardizedModel, standardizedSamples, wideRangeModel, wideRangeSamples } from '../test/fixtures/onnx/wide-range.js';
import { repoRoot } from '../test/zkml/prove-fixtures.js';

const arg = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def; };
const preset = PRESETS[arg('preset', 'balanced') as Precision];
const file = (path: string) => readFileSync(join(repoRoot, path));
const inputData = (path: string) => JSON.parse(file(path).toString('utf8')).input_data as number[][];

const models: Record<string, () => { bytes: Uint8Array; samples: (g: ReturnType<typeof importOnnx>) => Sample[] }> = {
  'wide-range (2 inputs, [0,1] and [0,1e4])': () => ({ bytes: wideRangeModel(), samples: () => wideRangeSamples(16) }),
  'standardized (x ∈ [0,1e4)³ → Sub mean → Div std → MLP)': () => ({ bytes: standardizedModel(), samples: () => standardizedSamples(16) }),
  'staking-lstm': () => ({ bytes: file('models/staking-lstm/model.onnx'), samples: (g) => samplesFromInputData(g, inputData('models/staking-lstm/calibration.json'), 'calibration.json') }),
};
for (const name of Object.keys(CORPUS_MODELS)) {
  const dir = join(CORPUS_DIR, name);
  models[name] = () => ({ bytes: readFileSync(join(dir, 'network.onnx')), samples: (g) => samplesFromInputData(g, JSON.parse(readFileSync(join(dir, 'input.json'), 'utf8')).input_data, 'input.json') });
}
const pick = arg('models', '');
const names = pick ? Object.keys(models).filter((n) => pick.split(',').some((p) => n.startsWith(p))) : Object.keys(models);

console.log(`preset ${preset.name}; uniform = the working scale for every activation, per-tensor = the search may give tensors their own`);
console.log('| model | samples | uniform: scale / constraints / max abs error | per-tensor: scale / constraints / max abs error | own scales | kept by the search | error ratio | constraint ratio | search s |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const name of names) {
  const t0 = performance.now();
  const { bytes, samples: load } = models[name]!();
  const g = importOnnx(bytes, name.split(' ')[0]!);
  const samples = load(g);
  const ref = (await runOnnxRuntime(bytes, g, samples)).map((outs) => outs.flatMap((o) => Array.from(o)));
  const run = (p: typeof preset) => {
    const c = choosePrecision(g, samples, p);
    const low = quantizeGraph(g, c.scale, samples, { precision: c.preset });
    return { scale: c.scale, cost: programCost(low.program), err: errorOf(low, samples, ref).maxAbs, own: low.ownScales, kept: !!c.preset.tensorScales };
  };
  // uniform: the search without per-tensor scales; per-tensor: the search with them forced on (the candidate);
  // kept: what the preset's own search (both candidates) picks
  const u = run({ ...preset, searchTensorScales: false }), p = run({ ...preset, searchTensorScales: false, tensorScales: true }), kept = run(preset).kept;
  const own = p.own.length ? p.own.map((o) => `${o.tensor}@${o.scale}`).join(', ') : 'none';
  const same = !p.own.length ? 'same' : `${p.scale} / ${p.cost.toLocaleString('en-US')} / ${p.err.toExponential(1)}`;
  console.log(`| ${name} | ${samples.length} | ${u.scale} / ${u.cost.toLocaleString('en-US')} / ${u.err.toExponential(1)} | ${same} | ${own} | ${kept ? 'yes' : 'no'} | ${(p.err / Math.max(u.err, 1e-300)).toFixed(2)} | ${(p.cost / u.cost).toFixed(2)} | ${((performance.now() - t0) / 1000).toFixed(1)} |`);
}
