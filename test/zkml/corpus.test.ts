// The corpus of real exported ONNX models (test/fixtures/onnx/corpus, origin in ORIGIN.md): every model imports,
// its exact circuit emulation stays within the documented error of onnxruntime-node on the model's own input.json
// (docs/zkml-compile.md, "Corpus"), small ones pass the soundness harness, and one goes compile → prove → verify
// through the CLI.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { emulateFloat, quantizeGraph } from '../../src/zkml/compile.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import { programCost } from '../../src/zkml/quantize/program.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { CORPUS_DIR, CORPUS_MODELS, loadCorpusModel } from '../fixtures/onnx/corpus.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';
import { testCache, zkinfer } from './prove-fixtures.js';

after(releaseSnarkjsCurve);

for (const [name, [exporter, tol, sound]] of Object.entries(CORPUS_MODELS)) {
  test(`corpus ${name} (${exporter}): circuit emulation vs onnxruntime on its input.json${sound ? ', soundness harness' : ''}`, async () => {
    const { bytes, graph: g, samples } = loadCorpusModel(name);
    assert.ok(bytes.length > 100 && !bytes.subarray(0, 40).toString().includes('git-lfs'), 'a real ONNX file, not an LFS pointer');
    const low = quantizeGraph(g, 8, samples);
    const ref = await runOnnxRuntime(bytes, g, samples);
    let worst = 0;
    samples.forEach((s, k) => {
      const r = ref[k]!.flatMap((t) => Array.from(t));
      emulateFloat(low, s).forEach((v, i) => { worst = Math.max(worst, Math.abs(v - r[i]!)); });
    });
    assert.ok(worst <= tol, `${name}: max error ${worst} > ${tol}`);
    if (sound && programCost(low.program) < 1500) await checkCircuit(name, bytes, { seeds: [11], tampers: 8 });
  });
}

test('corpus 1l_mlp from the CLI: compile with its input.json as calibration → prove → verify', () => {
  const dir = join(testCache, 'corpus-cli', 'art');
  const model = join(CORPUS_DIR, '1l_mlp', 'network.onnx'), input = join(CORPUS_DIR, '1l_mlp', 'input.json');
  const env = { ZKINFER_CACHE_DIR: testCache };
  const c = zkinfer(['compile', model, '--out', dir, '--calibration', input], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  assert.match(c.stdout, /error vs onnxruntime/);
  const proof = join(testCache, 'corpus-cli', 'proof.json');
  const p = zkinfer(['prove', dir, '--input', input, '--out', proof], env);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  const v = zkinfer(['verify', dir, proof, '--input', input], env);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});
