import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readModelCard } from '../../src/models/card.js';
import { compileZooModel } from '../../src/models/compiled.js';
import { cacheDir, shippedModelDir } from '../../src/models/paths.js';
import { encodeRequest, predict, readJsonFile } from '../../src/models/predict.js';
import { getZooModel } from '../../src/models/zoo.js';
import { closeDefaultPools, prove, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { verify } from '../../src/zkml/verify/index.js';

after(async () => {
  await closeDefaultPools();
  await releaseSnarkjsCurve();
});

// The smallest zoo model end to end through the engine (compile → prove → verify with the verifier's own
// input), as `zkinfer predict exit-mlp --prove` does. Artifacts are cached under .cache/test-models/; the
// larger models are compiled and proven by `npm run bench:models`.
test('exit-mlp compiles through the engine, and a proven prediction verifies and matches the float model', async () => {
  const model = getZooModel('exit-mlp');
  const dir = shippedModelDir('exit-mlp');
  const compiled = await compileZooModel('exit-mlp', { outDir: cacheDir('test-models', 'exit-mlp') });
  const md = compiled.metadata;
  assert.equal(md.security, 'INSECURE-DEV');
  assert.ok(md.constraints > 0);
  assert.deepEqual(md.inputs[0]!.shape, model.inputShape);

  const example = readJsonFile(join(shippedModelDir('staking-lstm'), 'example-input.json'));
  const input = encodeRequest(model, readModelCard(dir), example, 'example');
  const float = await predict(model, dir, input);
  const proof = await prove(compiled.dir, { input_data: [input] });
  const proven = proof.outputs[0]![0]!;
  assert.ok(Math.abs(proven - float.output[0]!) <= 0.01, `proven ${proven} vs float ${float.output[0]}`);

  const ok = await verify(compiled.dir, proof, { input: { input_data: [input] } });
  assert.equal(ok.valid, true, ok.reason);
  const other = input.map((v, i) => (i === 2 ? v + 1 : v));
  const bad = await verify(compiled.dir, proof, { input: { input_data: [other] } });
  assert.equal(bad.valid, false, 'a proof must not verify for another position');
});
