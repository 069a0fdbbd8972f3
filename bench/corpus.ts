// npm run bench:corpus — every corpus model (test/fixtures/onnx/corpus, ORIGIN.md), the big ones included
// (lstm_medium: ≈ 93k constraints, minutes of setup on 2 cores): compile with its input.json as calibration
// (scale 8) → prove its first sample → verify bound to that input, then a markdown table of constraints, error vs
// onnxruntime (metadata.error) and times, for docs/zkml-compile.md "Corpus". Keys are INSECURE-DEV (dev ptau).
// Options: --models a,b (default all)
import { join } from 'node:path';
import { closeDefaultPools } from '../src/zkml/prove/index.js';
import { releaseSnarkjsCurve } from '../src/zkml/prove/curve.js';
import { CORPUS_MODELS } from '../test/fixtures/onnx/corpus.js';
import { proveCorpusModel } from '../test/fixtures/onnx/corpus-prove.js';
import { repoRoot } from '../test/zkml/prove-fixtures.js';

const i = process.argv.indexOf('--models');
const names = i >= 0 && process.argv[i + 1] ? process.argv[i + 1]!.split(',') : Object.keys(CORPUS_MODELS);
const root = join(repoRoot, '.cache', 'bench-corpus');
const rows = ['| model | exporter | constraints | max abs error | proven + verified | compile s | prove ms | verify ms |', '|---|---|---|---|---|---|---|---|'];
for (const name of names) {
  const spec = CORPUS_MODELS[name];
  if (!spec) throw new Error(`unknown corpus model ${name} (known: ${Object.keys(CORPUS_MODELS).join(', ')})`);
  process.stderr.write(`${name}…\n`);
  const r = await proveCorpusModel(name, root);
  const ok = r.valid && !r.otherInputValid;
  rows.push(`| ${name} | ${spec[0]} | ${r.constraints.toLocaleString('en')} | ${r.compileError.toExponential(1)} | ${ok ? 'yes' : 'NO'} | ${(r.ms.compile / 1000).toFixed(1)} | ${r.ms.prove.toFixed(0)} | ${r.ms.verify.toFixed(0)} |`);
  if (!ok) process.exitCode = 1;
}
console.log(rows.join('\n'));
await closeDefaultPools();
await releaseSnarkjsCurve();
