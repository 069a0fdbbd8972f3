/**
 * A zkinfer-compiled model proof attested on chain through the engine's own artifacts (compile → prove →
 * export verifier → register → attest). Uses the smallest zoo model (exit-mlp) so it stays fast; the
 * staking LSTM runs the same path in `npm run bench:eth-lstm`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inferenceAttestorAbi } from '../../src/eth/abi-index.js';
import { attestProof, circuitIdBytes, inputHashOf, parseAttestProof, readAttestation, recipientOf } from '../../src/eth/attest.js';
import { readMetadata } from '../../src/zkml/artifacts/index.js';
import { verify } from '../../src/zkml/verify/index.js';
import { packedInputWords } from '../../src/zkml/format/layout.js';
import { signedOfField } from '../../src/zkml/format/packing.js';
import { quantizeInputs } from '../../src/zkml/witness/inputs.js';
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
import { sendTx } from '../../src/eth/tx.js';

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

  // packed public inputs (docs/eth.md): the proof for input X carries X's words; presented for input Y it fails,
  // on chain and off chain, and a contract packing its own input finds only X's statement
  const L = md.publicLayout;
  assert.equal(L.version, 2);
  assert.ok(L.packed && L.packed.words < input.length, `${input.length} input values packed into ${L.packed?.words} words`);
  const other = [...input];
  other[0] = other[0]! + 2 ** -md.inputs[0]!.scaleBits * 3; // Y: the first value three quanta higher
  const mine = quantizeInputs(md, { input_data: [input] }).fields, theirs = quantizeInputs(md, { input_data: [other] }).fields;
  const wordsX = packedInputWords(md, mine), wordsY = packedInputWords(md, theirs);
  assert.deepEqual(wordsX, proof.public_signals.slice(L.packed.offset, L.packed.offset + L.packed.words), 'the circuit packs as format/packing.ts does');
  assert.notDeepEqual(wordsY, wordsX);
  const forY = { ...proof, public_signals: proof.public_signals.map((s, i) => (i >= L.packed!.offset && i < L.packed!.offset + L.packed!.words ? wordsY[i - L.packed!.offset]! : s)) };
  await expectRevert(attestProof(copier, d.attestor, forY), 'InvalidProof');
  assert.equal((await verify(dir, proofFile, { input: { input_data: [other] }, recipient: BigInt(user.account.address) })).valid, false);
  // the attestor's packInputs (Solidity) packs a contract's own input exactly as zkinfer does
  const widths = md.inputs.flatMap((t) => new Array<number>(t.shape.reduce((x, y) => x * y, 1)).fill(t.rangeBits + 1));
  const onChain = (fields: string[][]) => user.publicClient.readContract({ address: d.attestor, abi: inferenceAttestorAbi, functionName: 'packInputs', args: [fields.flat().map(signedOfField), widths] });
  assert.deepEqual((await onChain(mine)).map(String), wordsX);
  assert.deepEqual((await onChain(theirs)).map(String), wordsY);
  const find = (words: readonly string[]) => user.publicClient.readContract({ address: d.attestor, abi: inferenceAttestorAbi, functionName: 'findStatement',
    args: [circuitIdBytes(reg.circuitId), [...proof.public_signals.slice(0, L.packed!.offset), ...words, ...proof.public_signals.slice(L.packed!.offset + L.packed!.words)].map(BigInt)] });
  assert.deepEqual(await find(wordsX), [true, r.id]);
  assert.deepEqual(await find(wordsY), [false, 0n]);

  // a disabled circuit is not silently re-enabled by `eth attest --circuit`; the owner registers it again explicitly
  await sendTx(chain.owner, { address: d.attestor, abi: inferenceAttestorAbi, functionName: 'disableCircuit', args: [circuitIdBytes(reg.circuitId)] });
  await assert.rejects(ensureCircuitRegistered(chain.owner, d.attestor, { dir }), (e: unknown) => e instanceof DeploymentError && /disabled/.test(e.message));
  const again2 = await ensureCircuitRegistered(chain.owner, d.attestor, { dir, reregister: true });
  assert.deepEqual([again2.registered, again2.vkData, again2.nOutputs], [true, reg.vkData, reg.nOutputs]);
  assert.deepEqual(await find(wordsX), [true, r.id], 'records stay');
});

test('a circuit whose outputs are not the leading public signals is refused before deploying anything', () => {
  assert.equal(outputsPrefixLength({ outputs: [{ offset: 0, length: 2 }], total: 5 }), 2);
  assert.throws(() => outputsPrefixLength({ outputs: [{ offset: 3, length: 1 }], total: 4 }), DeploymentError);
});
