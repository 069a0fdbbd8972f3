// Whole model through the CLI: zkinfer compile (tiny MLP written as ONNX) → prove → verify → export-verifier.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mlpModel, rand } from '../fixtures/onnx/models.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { testCache, zkinfer } from './prove-fixtures.js';

const work = join(testCache, 'model-cli');
after(releaseSnarkjsCurve);

test('tiny MLP: zkinfer compile → prove → verify (own inputs) → export-verifier, all from the CLI', () => {
  mkdirSync(work, { recursive: true });
  const model = join(work, 'mlp.onnx');
  writeFileSync(model, mlpModel());
  const dir = join(work, 'art');
  const env = { ZKINFER_CACHE_DIR: testCache };
  const c = zkinfer(['compile', model, '--out', dir, '--scale', '8'], env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  assert.match(c.stdout, /INSECURE-DEV/);
  const md = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));

  const x = rand(3, 4, 1);
  writeFileSync(join(work, 'in.json'), JSON.stringify({ input_data: [x] }));
  const other = [...x];
  other[2] = x[2]! - 0.5;
  writeFileSync(join(work, 'other.json'), JSON.stringify({ input_data: [other] }));
  const proofPath = join(work, 'proof.json');
  const p = zkinfer(['prove', dir, '--input', join(work, 'in.json'), '--out', proofPath], env);
  assert.equal(p.code, 0, p.stdout + p.stderr);
  const proof = JSON.parse(readFileSync(proofPath, 'utf8'));
  assert.equal(proof.circuit_id, md.id);
  assert.equal(proof.outputs[0].length, 3);
  for (const y of proof.outputs[0]) assert.ok(y > 0 && y < 1, `sigmoid output ${y}`);

  const v = zkinfer(['verify', dir, proofPath, '--input', join(work, 'in.json'), '--json'], env);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.deepEqual(JSON.parse(v.stdout).outputs, proof.outputs);
  assert.equal(zkinfer(['verify', dir, proofPath, '--input', join(work, 'other.json')], env).code, 1);

  // recipient binding (docs/eth.md): a proof for one address verifies only for that address
  const alice = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
  const boundPath = join(work, 'proof-alice.json');
  const b = zkinfer(['prove', dir, '--input', join(work, 'in.json'), '--out', boundPath, '--recipient', alice], env);
  assert.equal(b.code, 0, b.stdout + b.stderr);
  assert.equal(JSON.parse(readFileSync(boundPath, 'utf8')).public_signals.at(-1), BigInt(alice).toString());
  assert.equal(zkinfer(['verify', dir, boundPath, '--input', join(work, 'in.json'), '--recipient', alice], env).code, 0);
  assert.equal(zkinfer(['verify', dir, boundPath, '--input', join(work, 'in.json')], env).code, 1, 'bound to alice, not to 0');
  assert.equal(zkinfer(['verify', dir, boundPath, '--input', join(work, 'in.json'), '--recipient', '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'], env).code, 1);
  const bad = zkinfer(['prove', dir, '--input', join(work, 'in.json'), '--out', boundPath, '--recipient', 'alice'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /recipient must be an Ethereum address/);

  const e = zkinfer(['export-verifier', dir, '--out', join(work, 'Verifier.sol')], env);
  assert.equal(e.code, 0, e.stderr);
  assert.match(readFileSync(join(work, 'Verifier.sol'), 'utf8'), new RegExp(`uint\\[${md.publicLayout.total}\\] calldata _pubSignals`));
});
