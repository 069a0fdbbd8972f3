// Every corpus model small enough for a test (test/fixtures/onnx/corpus.ts; lstm_medium is in bench/corpus.ts) goes
// compile (its input.json as calibration) → prove → verify bound to that input through the library, with artifacts
// cached under .cache/: the proof verifies, its outputs match onnxruntime-node within the corpus bound, and the same
// proof checked against a changed input fails (docs/zkml-compile.md "Corpus").
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { closeDefaultPools } from '../../src/zkml/prove/index.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { CORPUS_BENCH_ONLY, CORPUS_MODELS, loadCorpusModel } from '../fixtures/onnx/corpus.js';
import { proveCorpusModel } from '../fixtures/onnx/corpus-prove.js';
import { testCache } from './prove-fixtures.js';

after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); });

for (const [name, [exporter, tol]] of Object.entries(CORPUS_MODELS)) {
  if (CORPUS_BENCH_ONLY.has(name)) continue;
  test(`corpus ${name} (${exporter}): compile → prove → verify`, async () => {
    const r = await proveCorpusModel(name, join(testCache, 'corpus-prove'));
    assert.equal(r.valid, true, `${name}: the proof verifies bound to its input`);
    assert.equal(r.otherInputValid, false, `${name}: the proof fails for another input`);
    const m = loadCorpusModel(name, 1);
    const ref = (await runOnnxRuntime(m.bytes, m.graph, m.samples))[0]!.flatMap((t) => Array.from(t));
    assert.equal(r.outputs.length, ref.length);
    r.outputs.forEach((v, i) => assert.ok(Math.abs(v - ref[i]!) <= tol, `${name}: proven out[${i}] ${v} vs onnxruntime ${ref[i]}`));
  });
}
