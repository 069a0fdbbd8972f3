// npm run bench:models — per zoo model: constraints, quantization error, float inference time (onnxruntime-node,
// the baseline) and Groth16 witness + prove time of the compiled circuit, medians over --runs seeded inputs.
// Writes .cache/bench/models.json, which `zkinfer models` reads. Keys are INSECURE-DEV (dev setup, cached).
// Options: --models staking-lstm,exit-mlp   --runs 5   --prover auto|snarkjs|native
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import { benchFile, compileZooModel, readBenchResults, type ModelBench } from '../src/models/compiled.js';
import { shippedModelDir } from '../src/models/paths.js';
import { ZOO, getZooModel } from '../src/models/zoo.js';
import { importOnnx } from '../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../src/zkml/onnx/runtime.js';
import { closeDefaultPools, prove, releaseSnarkjsCurve, type ProverKind } from '../src/zkml/prove/index.js';
import { loadArtifacts } from '../src/zkml/artifacts/index.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

const names = arg('models', ZOO.map((m) => m.name).join(',')).split(',');
const runs = Number(arg('runs', '5'));
const prover = arg('prover', 'auto') as ProverKind;
const device = `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}`;
const results = readBenchResults();
const rows: string[][] = [['model', 'constraints', 'scale', 'max |q−float|', 'onnxruntime ms', 'witness ms', 'prove ms', 'prove / float']];

try {
  for (const name of names) {
    const model = getZooModel(name);
    const t0 = Date.now();
    const compiled = await compileZooModel(name, { onProgress: (stage, done) => { if (done === 0) process.stderr.write(`${name}: ${stage}…\n`); } });
    process.stderr.write(`${name}: ${compiled.cached ? 'cached circuit' : `compiled in ${((Date.now() - t0) / 1000).toFixed(1)} s`}\n`);
    const bytes = readFileSync(join(shippedModelDir(name), 'model.onnx'));
    const graph = importOnnx(bytes, name);
    const inputs = Array.from({ length: runs }, (_, i) => model.sampleInput(1000 + i));
    const ortMs: number[] = [];
    for (const x of inputs) { const t = performance.now(); await runOnnxRuntime(bytes, graph, [[x]]); ortMs.push(performance.now() - t); }
    const artifacts = await loadArtifacts(compiled.dir);
    await prove(compiled.dir, { input_data: [inputs[0]!] }, { prover, artifacts }); // warm-up: worker start, key load
    const witnessMs: number[] = [];
    const proveMs: number[] = [];
    let usedProver = '';
    for (const x of inputs) {
      const r = await prove(compiled.dir, { input_data: [x] }, { prover, artifacts });
      witnessMs.push(r.timings.witnessMs);
      proveMs.push(r.timings.proveMs);
      usedProver = r.prover ?? prover;
    }
    const md = compiled.metadata;
    const row: ModelBench = {
      name, constraints: md.constraints, scaleBits: md.inputs[0]!.scaleBits, quantMaxAbs: md.error?.maxAbs ?? Number.NaN,
      onnxruntimeMedianMs: median(ortMs), witnessMedianMs: median(witnessMs), proveMedianMs: median(proveMs),
      runs, prover: usedProver, device, at: new Date().toISOString(),
    };
    results[name] = row;
    rows.push([name, String(row.constraints), String(row.scaleBits), row.quantMaxAbs.toExponential(2), row.onnxruntimeMedianMs.toFixed(2),
      row.witnessMedianMs.toFixed(1), row.proveMedianMs.toFixed(1), `${Math.round(row.proveMedianMs / row.onnxruntimeMedianMs)}×`]);
  }
} finally {
  await closeDefaultPools();
  await releaseSnarkjsCurve(); // setup's snarkjs curve holds worker threads
}
mkdirSync(dirname(benchFile()), { recursive: true });
writeFileSync(benchFile(), JSON.stringify({ models: results }, null, 2) + '\n');
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(`zoo bench on ${device}, prover ${prover}, ${runs} runs each (medians; baseline = float inference in onnxruntime-node)`);
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
console.log(`wrote ${benchFile()}`);
