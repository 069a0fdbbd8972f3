/**
 * A zkinfer-compiled model proof attested on chain through the engine's own artifacts (compile → prove →
 * export verifier → register → attest). Uses the smallest zoo model (exit-mlp) so it stays fast; the
 * staking LSTM runs the same path in `npm run bench:eth-lstm`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { attestProof, inputHashOf, parseAttestProof, readAttestation, recipientOf } from '../../src/eth/attest.js';
import { readMetadata } from '../../src/zkml/artifacts/index.js';
import { verify } from '../../src/zkml/verify/index.js';
import { ensureCircuitRegistered, outputsPrefixLength } from '../../src/eth/circuit.js';
import { deployDevStack } from '../../src/eth/deploy.js';
import type { Deployment } from '../../src/eth/deployment.js';
import { DeploymentError } from '../../src/eth/errors.js';
import { packageDir } from '../../src/eth/project.js';
import { readModelCard } from '../../src/models/card.js';
import { compileZooModel } from '../../src/models/compiled.js';
import { shippedModelDir } from '../../src/models/paths.js';
import { encodeRequest, readJsonFile } from '../../src/models/predict.js';
import { getZooModel } from '../../src/models/zoo.js';
import { closeDefaultPools, prove, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { expectRevert, startTestChain, type TestChain } from './helpers/chain.js';

let chain: TestChain;
let d: Deployment;
let dir: string;

before(async () => {
  const compiled = await compileZooModel('exit-mlp', { outDir: join(packageDir(), '.cache', 'eth-test', 'exit-mlp') });
  dir = compiled.dir;
  chain = await startTestChain(2);
  d = await deployDevStack(chain.owner);
});
after(async () => {
  await chain.stop();
  await closeDefaultPools();
  await releaseSnarkjsCurve();
});

test('a proven exit-mlp prediction is verified and recorded on chain for its recipient; another input or recipient is refused', async () => {
  const model = getZooModel('exit-mlp');
  const card = readModelCard(shippedModelDir('exit-mlp'));
  const example = readJsonFile(join(shippedModelDir('staking-lstm'), 'example-input.json'));
  const input = encodeRequest(model, card, example, 'example');
  const user = chain.users[0]!;
  const copier = chain.users[1]!;
  const proofFile = await prove(dir, { input_data: [input] }, { recipient: BigInt(user.account.address) });
  const proof = parseAttestProof(JSON.parse(JSON.stringify(proofFile)));
  const md = await readMetadata(dir);
  assert.equal(md.publicLayout.recipient, md.publicLayout.total - 1, 'the recipient is the last public signal');
  assert.equal(recipientOf(proof.public_signals), user.account.address);
  // off chain: a verifier binding its own inputs binds recipient 0 unless told otherwise
  assert.equal((await verify(dir, proofFile, { input: { input_data: [input] } })).valid, false);
  assert.equal((await verify(dir, proofFile, { input: { input_data: [input] }, recipient: BigInt(user.account.address) })).valid, true);

  const reg = await ensureCircuitRegistered(chain.owner, d.attestor, { dir });
  assert.equal(reg.registered, true);
  assert.equal(reg.circuitId, proofFile.circuit_id);
  assert.equal(reg.nPublic, proof.public_signals.length);
  const again = await ensureCircuitRegistered(chain.owner, d.attestor, { dir });
  assert.equal(again.registered, false);

  const tampered = { ...proof, public_signals: proof.public_signals.map((s, i) => (i === reg.nOutputs ? (BigInt(s) + 1n).toString() : s)) };
  await expectRevert(attestProof(user, d.attestor, tampered), 'InvalidProof');
  const stolen = { ...proof, public_signals: [...proof.public_signals.slice(0, -1), BigInt(copier.account.address).toString()] };
  await expectRevert(attestProof(copier, d.attestor, stolen), 'InvalidProof');

  const r = await attestProof(copier, d.attestor, proof); // a front-runner copying the proof credits the recipient
  const a = await readAttestation(user, d.attestor, r.id);
  assert.deepEqual(a.outputs.map(String), proof.public_signals.slice(0, reg.nOutputs));
  assert.equal(a.inputHash, inputHashOf(proof.public_signals, reg.nOutputs));
  assert.equal(a.prover, user.account.address);
  assert.equal(a.recipientBound, true);
});

test('a circuit whose outputs are not the leading public signals is refused before deploying anything', () => {
  assert.equal(outputsPrefixLength({ outputs: [{ offset: 0, length: 2 }], total: 5 }), 2);
  assert.throws(() => outputsPrefixLength({ outputs: [{ offset: 3, length: 1 }], total: 4 }), DeploymentError);
});
