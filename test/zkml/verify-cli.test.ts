import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixtureArtifacts, testCache, zkinfer } from './prove-fixtures.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { BN254_R } from '../../src/zkml/fixed-point.js';

let dir: string;
const work = join(testCache, `cli-${process.pid}`);
before(async () => {
  ({ dir } = await fixtureArtifacts('affine', 'affine-cli'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(work, { recursive: true });
  await writeFile(join(work, 'in.json'), JSON.stringify({ input_data: [[1.5, -2.25, 0.125]] }));
  await writeFile(join(work, 'other.json'), JSON.stringify({ input_data: [[1.5, -2.25, 0.25]] }));
  await writeFile(join(work, 'bad.json'), JSON.stringify({ input_data: [[1.5, 999, 0.25]] }));
});
after(async () => { await rm(work, { recursive: true, force: true }); await releaseSnarkjsCurve(); });

test('zkinfer prove → verify: exit 0 valid, 1 invalid (other inputs / tampered), 2 error', () => {
  const proofPath = join(work, 'proof.json');
  const p = zkinfer(['prove', dir, '--input', join(work, 'in.json'), '--out', proofPath, '--prover', 'snarkjs']);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, /INSECURE-DEV/);
  assert.match(p.stdout, /outputs \[\[14\.125\],\[-3\.375\]\]/);

  const v = zkinfer(['verify', dir, proofPath]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /^valid/m);
  assert.match(v.stdout, /INSECURE-DEV/);
  assert.match(v.stdout, /inputs NOT bound/, 'without --input it says the inputs were not bound');
  const same = zkinfer(['verify', dir, proofPath, '--input', join(work, 'in.json'), '--json']);
  assert.equal(same.code, 0);
  assert.equal(JSON.parse(same.stdout).inputsBound, true);
  assert.deepEqual(JSON.parse(same.stdout).outputs, [[14.125], [-3.375]]);

  const other = zkinfer(['verify', dir, proofPath, '--input', join(work, 'other.json')]);
  assert.equal(other.code, 1, other.stdout + other.stderr);
  assert.match(other.stdout, /INVALID/);
});

test('zkinfer verify: a tampered proof exits 1; unreadable proof, bad dir or bad input exit 2', async () => {
  const proofPath = join(work, 'proof.json');
  const pf = JSON.parse(await readFile(proofPath, 'utf8'));
  pf.public_signals[0] = (BigInt(pf.public_signals[0]) + 1n).toString();
  await writeFile(join(work, 'tampered.json'), JSON.stringify(pf));
  assert.equal(zkinfer(['verify', dir, join(work, 'tampered.json')]).code, 1);
  // a doctored `outputs` field (the proof itself untouched) is flagged, exit 1
  const doctored = JSON.parse(await readFile(proofPath, 'utf8'));
  doctored.outputs = [[1000], [-3.375]];
  await writeFile(join(work, 'doctored.json'), JSON.stringify(doctored));
  const d = zkinfer(['verify', dir, join(work, 'doctored.json')]);
  assert.equal(d.code, 1, d.stdout);
  assert.match(d.stdout, /"outputs" field differs/);
  // a public signal ≥ r (same field element as signal − r) is refused by zkinfer itself, not left to snarkjs
  const nonCanonical = JSON.parse(await readFile(proofPath, 'utf8'));
  nonCanonical.public_signals[2] = (BigInt(nonCanonical.public_signals[2]) + BN254_R).toString();
  await writeFile(join(work, 'noncanonical.json'), JSON.stringify(nonCanonical));
  const nc = zkinfer(['verify', dir, join(work, 'noncanonical.json')]);
  assert.equal(nc.code, 1, nc.stdout);
  assert.match(nc.stdout, /not a canonical field element/);
  await writeFile(join(work, 'garbage.json'), '{"proof": 1}');
  const g = zkinfer(['verify', dir, join(work, 'garbage.json')]);
  assert.equal(g.code, 2);
  assert.match(g.stderr, /not a zkinfer proof file/);
  const badIn = zkinfer(['verify', dir, proofPath, '--input', join(work, 'bad.json')]);
  assert.equal(badIn.code, 2);
  assert.match(badIn.stderr, /outside the circuit's range/);
});

test('zkinfer prove refuses an out-of-range input with a clear message and exit 2', () => {
  const r = zkinfer(['prove', dir, '--input', join(work, 'bad.json'), '--out', join(work, 'never.json'), '--prover', 'snarkjs']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /outside the circuit's range/);
});

test('zkinfer export-verifier writes a Groth16 Solidity verifier for the circuit', async () => {
  const out = join(work, 'Verifier.sol');
  const r = zkinfer(['export-verifier', dir, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const sol = await readFile(out, 'utf8');
  const md = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
  assert.match(sol, /contract Groth16Verifier/);
  assert.match(sol, /uint\[5\] calldata _pubSignals/);
  assert.ok(sol.includes(md.id), 'names the circuit id');
  assert.match(sol, /INSECURE-DEV/);
});
