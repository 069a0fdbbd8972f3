// Batch verification (issue #14 item 3): k proofs of one circuit in one randomised multi-pairing, bisection to
// exactly the bad ones — a tampered proof, a proof about other inputs, a proof for another recipient — an empty
// batch, and a batch mixing circuits refused with VerifyError('MIXED_CIRCUITS'). Real circuits compiled by the
// engine (cached under .cache/), real proofs from snarkjs; the CLI takes several proof files the same way.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closeDefaultPools, compile, prove, releaseSnarkjsCurve } from '../../src/zkml/index.js';
import { loadVerifierKey, verifyBatch, VerifyError, type BatchItem } from '../../src/zkml/verify/index.js';
import { randomScalars } from '../../src/zkml/verify/groth16-batch.js';
import type { ProofFile } from '../../src/zkml/format/proof-file.js';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { testCache, zkinfer } from './prove-fixtures.js';

after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); });

const work = join(testCache, 'verify-batch');
const dirA = join(work, 'scale6');
const dirB = join(work, 'scale5');
const inputs = Array.from({ length: 6 }, (_, i) => [[(i - 2) * 0.25, 0.125 * i]]);
let proofs: ProofFile[];
let forRecipient: ProofFile;
let otherCircuit: ProofFile;

/** y = Relu(x·[1, 2] + 0.5): one input [1, 2], one output, the recipient last. */
function model(): Uint8Array {
  const b = new OnnxBuilder('batch-fixture');
  const x = b.input('x', [1, 2]);
  const m = b.node('Mul', [x, b.init('w', [1, 2], [1, 2])], ['m']);
  const a = b.node('Add', [m, b.init('c', [1], [0.5])], ['a']);
  b.node('Relu', [a], ['y']);
  b.output('y', [1, 2]);
  return b.toBytes();
}

before(async () => {
  await mkdir(work, { recursive: true });
  const onnx = join(work, 'model.onnx');
  await writeFile(onnx, model());
  await compile(onnx, { outDir: dirA, cacheDir: testCache, scale: 6 });
  await compile(onnx, { outDir: dirB, cacheDir: testCache, scale: 5 });
  proofs = [];
  for (const x of inputs) proofs.push(await prove(dirA, { input_data: x }, { prover: 'snarkjs' }));
  forRecipient = await prove(dirA, { input_data: inputs[0]! }, { prover: 'snarkjs', recipient: 5n });
  otherCircuit = await prove(dirB, { input_data: inputs[0]! }, { prover: 'snarkjs' });
});

const items = (): BatchItem[] => proofs.map((p, i) => ({ proofFile: structuredClone(p), input: { input_data: inputs[i]! } }));
const invalid = (rs: Array<{ valid: boolean }>) => rs.flatMap((r, i) => (r.valid ? [] : [i]));

test('a batch of valid proofs verifies in one multi-pairing, outputs decoded per proof', async () => {
  const key = await loadVerifierKey(dirA);
  const b = await verifyBatch(key, items());
  assert.deepEqual(invalid(b.results), []);
  assert.equal(b.checks, 1);
  b.results.forEach((r, i) => { assert.equal(r.inputsBound, true); assert.deepEqual(r.outputs, proofs[i]!.outputs); });
});

test('a tampered proof is the only one flagged', async () => {
  const key = await loadVerifierKey(dirA);
  const its = items();
  // a valid curve point, but another proof's: only the pairing equation can catch it
  (its[3]!.proofFile as ProofFile).proof.pi_c = proofs[4]!.proof.pi_c;
  const b = await verifyBatch(key, its);
  assert.deepEqual(invalid(b.results), [3]);
  assert.match(b.results[3]!.reason!, /does not verify/);
  assert.ok(b.checks > 1, 'the failed batch was bisected');
  // a point off the curve is refused before the pairing, with its own reason
  const off = items();
  (off[1]!.proofFile as ProofFile).proof.pi_a = ['1', '3', '1'];
  const o = await verifyBatch(key, off);
  assert.deepEqual(invalid(o.results), [1]);
  assert.match(o.results[1]!.reason!, /not a point of BN254 G1/);
});

test('a proof about other inputs than the verifier\'s is the only one flagged', async () => {
  const key = await loadVerifierKey(dirA);
  const its = items();
  its[2]!.input = { input_data: [[0.75, 0.25]] };
  const b = await verifyBatch(key, its);
  assert.deepEqual(invalid(b.results), [2]);
  assert.match(b.results[2]!.reason!, /not for the verifier's inputs/);
});

test('a proof for another recipient is the only one flagged; with the right recipient it verifies', async () => {
  const key = await loadVerifierKey(dirA);
  const its = items();
  its.push({ proofFile: forRecipient, input: { input_data: inputs[0]! } }); // the verifier expects recipient 0
  const b = await verifyBatch(key, its);
  assert.deepEqual(invalid(b.results), [6]);
  its[6]!.recipient = 5n;
  assert.deepEqual(invalid((await verifyBatch(key, its)).results), []);
});

test('several bad proofs among many are all found, and only they', async () => {
  const key = await loadVerifierKey(dirA);
  const its = [...items(), ...items(), ...items()]; // 18
  for (const i of [0, 7, 17]) (its[i]!.proofFile as ProofFile).public_signals[0] = '12345';
  const b = await verifyBatch(key, its);
  assert.deepEqual(invalid(b.results), [0, 7, 17]);
});

test('an empty batch runs no check; a batch mixing circuits is refused with a clear error', async () => {
  const key = await loadVerifierKey(dirA);
  assert.deepEqual(await verifyBatch(key, []), { results: [], checks: 0 });
  const its = items();
  its.push({ proofFile: otherCircuit });
  await assert.rejects(verifyBatch(key, its), (e: unknown) => e instanceof VerifyError && e.code === 'MIXED_CIRCUITS' && /group proofs by circuit/.test(e.hint ?? ''));
});

test('batch scalars are fresh, non-zero and 128-bit', () => {
  const a = randomScalars(64), b = randomScalars(64);
  assert.ok(a.every((r) => r > 0n && r < 1n << 128n));
  assert.notDeepEqual(a, b);
  assert.ok(a.some((r) => r >= 1n << 127n), 'the top bit is used');
});

test('zkinfer verify DIR P1 P2 P3 checks them as one batch: a line per proof, exit 1 when any is invalid', async () => {
  const files = await Promise.all(proofs.slice(0, 3).map(async (p, i) => { const f = join(work, `p${i}.json`); await writeFile(f, JSON.stringify(p)); return f; }));
  const ok = zkinfer(['verify', dirA, ...files]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /3 of 3 proofs valid \(batch: 1 multi-pairing check/);
  const bad = structuredClone(proofs[1]!);
  bad.proof.pi_c = proofs[2]!.proof.pi_c;
  await writeFile(files[1]!, JSON.stringify(bad));
  const r = zkinfer(['verify', dirA, ...files, '--json']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as { results: Array<{ file: string; valid: boolean }> };
  assert.deepEqual(out.results.map((x) => x.valid), [true, false, true]);
});
