import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ZkinferError } from '../../src/errors/base.js';
import { BN254_Q, BN254_R } from '../../src/zkml/fixed-point.js';
import { closeDefaultPools, prove, releaseSnarkjsCurve, type ProofFile } from '../../src/zkml/prove/index.js';
import { SnarkjsProver } from '../../src/zkml/prove/snarkjs.js';
import { loadArtifacts } from '../../src/zkml/artifacts/index.js';
import { quantizeInputs } from '../../src/zkml/witness/inputs.js';
import { loadVerifierKey, verify, verifyBatch } from '../../src/zkml/verify/index.js';
import { WitnessEngine, WitnessInputError } from '../../src/zkml/witness/index.js';
import { fixtureArtifacts } from './prove-fixtures.js';

let dir: string;
let proof: ProofFile;
const input = { input_data: [[1.5, -2.25, 0.125]] };

before(async () => {
  ({ dir } = await fixtureArtifacts('affine', 'affine-roundtrip'));
  const { timings: _t, ...file } = await prove(dir, input, { prover: 'snarkjs' });
  proof = file;
});
after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); });

test('prove → verify round trip decodes the circuit outputs', async () => {
  assert.equal(proof.security, 'INSECURE-DEV');
  assert.equal(proof.prover, 'snarkjs');
  // lin = 3·1.5 − 2·(−2.25) + 0.125 + 5, prod = 1.5 · −2.25 (exact in fixed point)
  assert.deepEqual(proof.outputs, [[14.125], [-3.375]]);
  const r = await verify(dir, proof);
  assert.equal(r.valid, true, r.reason);
  assert.deepEqual(r.outputs, [[14.125], [-3.375]]);
  assert.equal((await verify(dir, proof, { input })).valid, true, 'valid when bound to the same inputs');
});

test('a key over the in-memory limit is proven from its file (snarkjs pages it): the same public signals', async () => {
  const art = await loadArtifacts(dir);
  const wtns = await new WitnessEngine().wtns(art.paths.witness, quantizeInputs(art.metadata, input).signals);
  const byPath = await new SnarkjsProver(0).prove(art.paths.zkey, wtns);
  assert.deepEqual(byPath.publicSignals, proof.public_signals);
  const r = await verify(dir, { ...proof, proof: { ...proof.proof, ...byPath.proof } });
  assert.equal(r.valid, true, r.reason);
});

test('a proof with any one public signal changed is rejected', async () => {
  assert.equal(proof.public_signals.length, 5);
  for (let i = 0; i < proof.public_signals.length; i++) {
    for (const delta of [1n, BN254_R - 1n]) {
      const signals = [...proof.public_signals];
      signals[i] = ((BigInt(signals[i]!) + delta) % BN254_R).toString();
      const r = await verify(dir, { ...proof, public_signals: signals });
      assert.equal(r.valid, false, `signal ${i} changed by ${delta} must be rejected`);
    }
  }
});

test('a tampered proof point, a wrong circuit id or a non-canonical signal is rejected', async () => {
  const a = proof.proof.pi_a;
  const badA = { ...proof, proof: { ...proof.proof, pi_a: [((BigInt(a[0]) + 1n)).toString(), a[1], a[2]] as [string, string, string] } };
  assert.equal((await verify(dir, badA)).valid, false);
  const swapped = { ...proof, proof: { ...proof.proof, pi_a: proof.proof.pi_c, pi_c: proof.proof.pi_a } };
  assert.equal((await verify(dir, swapped)).valid, false);
  assert.equal((await verify(dir, { ...proof, circuit_id: 'f'.repeat(64) })).valid, false);
  const plusR = [...proof.public_signals];
  plusR[0] = (BigInt(plusR[0]!) + BN254_R).toString();
  assert.equal((await verify(dir, { ...proof, public_signals: plusR })).valid, false, 'x + r is not the same signal');
});

test('a proof point spelled another way (coordinate + q, a leading zero, z "01") is refused, alone and in a batch', async () => {
  const p = proof.proof;
  const plusQ = (v: string) => (BigInt(v) + BN254_Q).toString();
  const spellings: Array<[string, ProofFile['proof']]> = [
    ['pi_a[0] + q', { ...p, pi_a: [plusQ(p.pi_a[0]), p.pi_a[1], p.pi_a[2]] }],
    ['pi_b[0][0] + q', { ...p, pi_b: [[plusQ(p.pi_b[0][0]), p.pi_b[0][1]], p.pi_b[1], p.pi_b[2]] }],
    ['pi_c[1] + q', { ...p, pi_c: [p.pi_c[0], plusQ(p.pi_c[1]), p.pi_c[2]] }],
    ['leading zero', { ...p, pi_a: [`0${p.pi_a[0]}`, p.pi_a[1], p.pi_a[2]] }],
    ['z "01"', { ...p, pi_a: [p.pi_a[0], p.pi_a[1], '01'] }],
    ['pi_b z', { ...p, pi_b: [p.pi_b[0], p.pi_b[1], ['1', '00']] }],
  ];
  assert.equal((await verify(dir, proof)).valid, true, 'the proof as written verifies');
  const key = await loadVerifierKey(dir);
  for (const [what, bad] of spellings) {
    const r = await verify(dir, { ...proof, proof: bad });
    assert.equal(r.valid, false, what);
    assert.match(r.reason ?? '', /not canonical|not affine/, what);
  }
  const b = await verifyBatch(key, [proof, ...spellings.map(([, bad]) => ({ ...proof, proof: bad }))].map((proofFile) => ({ proofFile })));
  assert.deepEqual(b.results.map((r) => r.valid), [true, ...spellings.map(() => false)]);
});

test('input binding: the verifier substitutes its own inputs, so a proof about other inputs is invalid', async () => {
  const other = { input_data: [[1.5, -2.25, 0.25]] };
  const r = await verify(dir, proof, { input: other });
  assert.equal(r.valid, false);
  assert.match(r.reason ?? '', /verifier's inputs/);
  // Even if the prover rewrites its public inputs to the verifier's, the outputs no longer match: invalid.
  const forged = { ...proof, public_signals: [...proof.public_signals.slice(0, 2), ...(await (async () => {
    const { quantizeInputs } = await import('../../src/zkml/witness/inputs.js');
    const { loadArtifacts } = await import('../../src/zkml/artifacts/index.js');
    return quantizeInputs((await loadArtifacts(dir, { need: ['vk'] })).metadata, other).fields[0]!;
  })())] };
  assert.equal((await verify(dir, forged, { input: other })).valid, false);
});

test('bad inputs get a clear typed error, not a proof', async () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ input_data: [[1, 2]] }, 'INPUT_RANGE', /needs 3 values/],
    [{ input_data: [[1, 2, 3], [4]] }, 'INPUT_RANGE', /takes 1 input tensor/],
    [{ input_data: [[1, Number.NaN, 3]] }, 'INPUT_FORMAT', /input_data/],
    [{ input_data: [[1, 200, 3]] }, 'INPUT_RANGE', /outside the circuit's range \|x\| < 128/],
    [{ input_data: [[1, -128, 3]] }, 'INPUT_RANGE', /outside the circuit's range/],
    [{ inputs: [[1, 2, 3]] }, 'INPUT_FORMAT', /input_data/],
  ];
  for (const [bad, code, msg] of cases) {
    await assert.rejects(prove(dir, bad, { prover: 'snarkjs' }), (e: unknown) => {
      assert.ok(e instanceof ZkinferError, `typed error for ${JSON.stringify(bad)}`);
      assert.equal(e.code, code);
      assert.match(e.message, msg);
      return true;
    });
  }
  // The largest in-range value proves.
  const edge = await prove(dir, { input_data: [[127.99609375, -127.99609375, 0]] }, { prover: 'snarkjs' });
  assert.equal((await verify(dir, edge)).valid, true);
});

test('the circuit itself refuses an out-of-range input (its range check has constraints, not just the client check)', async () => {
  const { loadArtifacts } = await import('../../src/zkml/artifacts/index.js');
  const art = await loadArtifacts(dir, { need: ['wasm'] });
  const engine = new WitnessEngine();
  const ok = await engine.wtns(art.paths.wasm, { x: ['1', '2', '3'] });
  assert.ok(ok.length > 0);
  await assert.rejects(engine.wtns(art.paths.wasm, { x: [String(1 << 15), '2', '3'] }), (e: unknown) => e instanceof WitnessInputError && e.code === 'WITNESS_FAILED');
  await assert.rejects(engine.wtns(art.paths.wasm, { x: [(BN254_R - BigInt((1 << 15) + 1)).toString(), '2', '3'] }), (e: unknown) => e instanceof WitnessInputError);
});
