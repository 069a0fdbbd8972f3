// npm run bench:fidelity — error vs constraints per precision preset (docs/zkml-compile.md, "Fidelity targets").
// For each target model and preset: the working scale the preset's search picks on the calibration samples, the
// R1CS constraints (programCost = the compiled count) and the max / mean abs error of the exact circuit emulation
// (= the witness) against onnxruntime-node on the same samples, plus the constraint ratio vs `fast` in the same run.
// Models: lstm_medium (tf2onnx 2-layer stacked LSTM, hidden 50, 5 steps; EZKL: 82,664 rows, 1.7e-4) on 16 uniform
// samples in [−1, 1] and on its own input.json, and the zoo's staking-lstm on its calibration.json (and, compiled on
// that, measured on 64 held-out generator samples (seed 2) and on 384 more (seeds 3–8): staking-lstm-heldout).
// No setup or proving (the compiled constraint count equals programCost; the witness equals the emulation).
// Options: --models lstm_medium,staking-lstm,staking-lstm-heldout   --presets fast,balanced,accurate
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { choosePrecision, errorOf, quantizeGraph } from '../src/zkml/compile.js';
import { importOnnx } from '../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../src/zkml/onnx/runtime.js';
import { defaultSamples, samplesFromInputData, type Sample } from '../src/zkml/quantize/calibration.js';
import { PRESETS, type Precision } from '../src/zkml/quantize/precision.js';
import { programCost } from '../src/zkml/quantize/program.js';
import { repoRoot } from '../test/zkml/prove-fixtures.js';
import { calibrationData } from '../src/models/calibration.js';
import { readModelCard } from '../src/models/card.js';
import { stakingLstm } from '../src/models/zoo/staking-lstm.js';

const arg = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def; };
const input = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), 'utf8')).input_data as number[][];

/** 64 generator samples per seed (the zoo's sampleInput rule; calibration.json is seed 1), without the extreme sample. */
const heldOut = (g: ReturnType<typeof importOnnx>, seeds: number[]) => seeds.flatMap((sd) =>
  samplesFromInputData(g, calibrationData(stakingLstm, readModelCard(join(repoRoot, 'models/staking-lstm')), 64, sd).input_data, 'held-out').slice(0, 64));

interface Target { model: string; samples: string; load: (g: ReturnType<typeof importOnnx>) => Sample[]; compileOn?: (g: ReturnType<typeof importOnnx>) => Sample[] }
const TARGETS: Record<string, Target[]> = {
  lstm_medium: [
    { model: 'test/fixtures/onnx/corpus/lstm_medium/network.onnx', samples: '16 uniform [−1, 1]', load: (g) => defaultSamples(g, 16) },
    { model: 'test/fixtures/onnx/corpus/lstm_medium/network.onnx', samples: 'its input.json', load: (g) => samplesFromInputData(g, input('test/fixtures/onnx/corpus/lstm_medium/input.json'), 'input.json') },
  ],
  'staking-lstm': [
    { model: 'models/staking-lstm/model.onnx', samples: 'calibration.json', load: (g) => samplesFromInputData(g, input('models/staking-lstm/calibration.json'), 'calibration.json') },
  ],
  // compiled on calibration.json as above, measured on 64 other generator samples (seed 2): what the calibrated
  // windows and the search do to inputs they were not fitted on
  'staking-lstm-heldout': [
    { model: 'models/staking-lstm/model.onnx', samples: 'held out (generator seed 2)', compileOn: (g) => samplesFromInputData(g, input('models/staking-lstm/calibration.json'), 'calibration.json'),
      load: (g) => heldOut(g, [2]) },
    // the same on 6 × 64 more (seeds 3–8): how the worst case grows with the number of held-out samples
    { model: 'models/staking-lstm/model.onnx', samples: 'held out (generator seeds 3–8)', compileOn: (g) => samplesFromInputData(g, input('models/staking-lstm/calibration.json'), 'calibration.json'),
      load: (g) => heldOut(g, [3, 4, 5, 6, 7, 8]) },
  ],
};

const presets = arg('presets', 'fast,balanced,accurate').split(',') as Precision[];
console.log('| model | samples | preset | scale | constraints | × fast | max abs error | mean abs error | output magnitude | search s |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const name of arg('models', 'lstm_medium,staking-lstm,staking-lstm-heldout').split(',')) {
  for (const t of TARGETS[name] ?? []) {
    const bytes = readFileSync(join(repoRoot, t.model));
    const g = importOnnx(bytes, name);
    const samples = t.load(g);
    const ref = (await runOnnxRuntime(bytes, g, samples)).map((o) => o.flatMap((x) => Array.from(x)));
    const mag = Math.max(...ref.flat().map(Math.abs));
    let fast = 0;
    for (const p of presets) {
      const t0 = performance.now();
      const calib = t.compileOn?.(g) ?? samples;
      const { scale, preset } = choosePrecision(g, calib, PRESETS[p]);
      const low = quantizeGraph(g, scale, calib, { precision: preset });
      const cost = programCost(low.program), err = errorOf(low, samples, ref);
      if (p === 'fast') fast = cost;
      console.log(`| ${name} | ${t.samples} (${samples.length}) | ${p} | ${scale} | ${cost.toLocaleString('en-US')} | ${fast ? (cost / fast).toFixed(2) : '–'} | ${err.maxAbs.toExponential(1)} | ${err.meanAbs.toExponential(1)} | ${mag.toFixed(2)} | ${((performance.now() - t0) / 1000).toFixed(1)} s |`);
    }
  }
}
