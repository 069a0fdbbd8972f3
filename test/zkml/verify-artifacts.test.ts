import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactsError, canonicalJson, circuitIdOfVk, loadArtifacts, sha256File } from '../../src/zkml/artifacts/index.js';
import { closeDefaultPools, InThreadProver, prove, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { loadVerifierKey, verify } from '../../src/zkml/verify/index.js';
import { exportSolidityVerifier } from '../../src/zkml/format/solidity.js';
import { copyArtifacts, fixtureArtifacts, testCache } from './prove-fixtures.js';

let dir: string;
before(async () => { ({ dir } = await fixtureArtifacts('affine', 'affine-artifacts')); });
after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); });

const isCode = (code: string) => (e: unknown) => e instanceof ArtifactsError && e.code === code;

test('canonical JSON sorts keys at every level and has no whitespace', () => {
  assert.equal(canonicalJson({ b: [2, { d: 1, c: 'x' }], a: null }), '{"a":null,"b":[2,{"c":"x","d":1}]}');
  assert.equal(circuitIdOfVk({ y: 1, x: 2 }), circuitIdOfVk({ x: 2, y: 1 }));
});

test('loadArtifacts checks metadata, every file hash and id = sha256(canonical vk)', async () => {
  const a = await loadArtifacts(dir);
  assert.equal(a.metadata.id, circuitIdOfVk(a.vk));
  assert.equal(a.metadata.files.zkey, await sha256File(a.paths.zkey));
  assert.equal(a.metadata.security, 'INSECURE-DEV');
});

test('a modified zkey, wasm or r1cs is refused with ARTIFACT_HASH_MISMATCH, and prove refuses it', async () => {
  for (const f of ['circuit.zkey', 'witness.wasm', 'circuit.r1cs']) {
    const bad = await copyArtifacts(dir, join(testCache, 'artifacts', `tampered-${f}-${process.pid}`));
    const p = join(bad, f);
    const bytes = await readFile(p);
    bytes[bytes.length - 10] ^= 1;
    await writeFile(p, bytes);
    await assert.rejects(loadArtifacts(bad), isCode('ARTIFACT_HASH_MISMATCH'), f);
    await assert.rejects(prove(bad, { input_data: [[1, 2, 3]] }, { prover: 'snarkjs' }), isCode('ARTIFACT_HASH_MISMATCH'), f);
  }
});

test('a swapped vk (hash updated in metadata) is refused with CIRCUIT_ID_MISMATCH', async () => {
  const bad = await copyArtifacts(dir, join(testCache, 'artifacts', `swapped-vk-${process.pid}`));
  const vkPath = join(bad, 'vk.json');
  const vk = JSON.parse(await readFile(vkPath, 'utf8'));
  vk.vk_alpha_1 = vk.vk_beta_1 ?? vk.vk_alpha_1; // any change of the key
  vk.IC = [...vk.IC].reverse();
  await writeFile(vkPath, JSON.stringify(vk));
  const mdPath = join(bad, 'metadata.json');
  const md = JSON.parse(await readFile(mdPath, 'utf8'));
  md.files.vk = await sha256File(vkPath);
  await writeFile(mdPath, JSON.stringify(md));
  await assert.rejects(loadArtifacts(bad), isCode('CIRCUIT_ID_MISMATCH'));
  await assert.rejects(verify(bad, '{}'), isCode('CIRCUIT_ID_MISMATCH'));
});

test('a zkey of another circuit (hash updated in metadata) is refused with ZKEY_VK_MISMATCH by prove and export-verifier', async () => {
  const other = await fixtureArtifacts('square-chain', 'square-chain-artifacts');
  const bad = await copyArtifacts(dir, join(testCache, 'artifacts', `swapped-zkey-${process.pid}`));
  await writeFile(join(bad, 'circuit.zkey'), await readFile(join(other.dir, 'circuit.zkey')));
  const mdPath = join(bad, 'metadata.json');
  const md = JSON.parse(await readFile(mdPath, 'utf8'));
  md.files.zkey = await sha256File(join(bad, 'circuit.zkey'));
  await writeFile(mdPath, JSON.stringify(md));
  await assert.rejects(loadArtifacts(bad), isCode('ZKEY_VK_MISMATCH'));
  await assert.rejects(exportSolidityVerifier(bad), isCode('ZKEY_VK_MISMATCH'));
  await assert.rejects(prove(bad, { input_data: [[1, 2, 3]] }), isCode('ZKEY_VK_MISMATCH'));
  // a verifier needs only the vk: still fine
  await loadArtifacts(bad, { need: ['vk'] });
});

test('metadata.json inconsistent with the vk (layout size, security label) is refused', async () => {
  const bad = await copyArtifacts(dir, join(testCache, 'artifacts', `inconsistent-md-${process.pid}`));
  const mdPath = join(bad, 'metadata.json');
  const md = JSON.parse(await readFile(mdPath, 'utf8'));
  await writeFile(mdPath, JSON.stringify({ ...md, security: 'ceremony' }));
  await assert.rejects(loadArtifacts(bad, { need: ['vk'] }), (e: unknown) => isCode('METADATA_INCONSISTENT')(e) && /security "ceremony"/.test((e as Error).message));
  const swapped = { ...md, publicLayout: { ...md.publicLayout, inputs: md.publicLayout.inputs.map((s: { offset: number }) => ({ ...s, offset: 0 })) } };
  await writeFile(mdPath, JSON.stringify(swapped));
  await assert.rejects(loadArtifacts(bad, { need: ['vk'] }), isCode('METADATA_INCONSISTENT'));
  await writeFile(mdPath, JSON.stringify({ ...md, publicLayout: { ...md.publicLayout, total: md.publicLayout.total + 1 } }));
  await assert.rejects(loadArtifacts(bad, { need: ['vk'] }), isCode('METADATA_INCONSISTENT'));
});

test('missing or malformed metadata.json is a clear typed error', async () => {
  const bad = await copyArtifacts(dir, join(testCache, 'artifacts', `bad-md-${process.pid}`));
  await writeFile(join(bad, 'metadata.json'), '{"id": 1}');
  await assert.rejects(loadArtifacts(bad), (e: unknown) => isCode('ARTIFACTS_INVALID')(e) && /metadata schema/.test((e as Error).message));
  await writeFile(join(bad, 'metadata.json'), 'not json');
  await assert.rejects(loadArtifacts(bad), isCode('ARTIFACTS_INVALID'));
  await assert.rejects(loadArtifacts(join(bad, 'nope')), isCode('ARTIFACTS_MISSING'));
});

test('the in-thread prover of `zkinfer prove` computes the witness during the hash check, yet refuses tampered files with the check\'s error and keeps nothing loaded from them', async () => {
  const other = await fixtureArtifacts('square-chain', 'square-chain-artifacts');
  const bad = await copyArtifacts(dir, join(testCache, 'artifacts', `in-thread-${process.pid}`));
  const input = { input_data: [[0.5, 0.25, -1]] };
  const runner = new InThreadProver('auto', () => undefined); // native when built: its key is loaded ahead of the check
  try {
    // a valid zkey of another circuit, hash not updated: preloaded while the check runs, then refused
    await writeFile(join(bad, 'circuit.zkey'), await readFile(join(other.dir, 'circuit.zkey')));
    await assert.rejects(prove(bad, input, { pool: runner }), isCode('ARTIFACT_HASH_MISMATCH'));
    // a damaged witness generator: the check's error, not the generator's
    await writeFile(join(bad, 'circuit.zkey'), await readFile(join(dir, 'circuit.zkey')));
    const wasm = await readFile(join(dir, 'witness.wasm'));
    await writeFile(join(bad, 'witness.wasm'), wasm.subarray(0, 100));
    await assert.rejects(prove(bad, input, { pool: runner }), isCode('ARTIFACT_HASH_MISMATCH'));
    // files restored: the same runner proves with the checked key and generator, not the ones it had loaded
    await writeFile(join(bad, 'witness.wasm'), wasm);
    const { timings: _t, ...pf } = await prove(bad, input, { pool: runner });
    const r = await verify(await loadVerifierKey(dir), pf, { input });
    assert.equal(r.valid, true, r.reason);
  } finally {
    await runner.close();
  }
});

test('a verifier needs only vk.json + metadata.json', async () => {
  const vdir = await copyArtifacts(dir, join(testCache, 'artifacts', `verifier-only-${process.pid}`));
  const { rm } = await import('node:fs/promises');
  for (const f of ['circuit.zkey', 'witness.wasm', 'circuit.r1cs']) await rm(join(vdir, f));
  const { timings: _t, ...pf } = await prove(dir, { input_data: [[0.5, 0.25, -1]] }, { prover: 'snarkjs' });
  const key = await loadVerifierKey(vdir);
  assert.equal(key.id, pf.circuit_id);
  const r = await verify(key, pf, { input: { input_data: [[0.5, 0.25, -1]] } });
  assert.equal(r.valid, true, r.reason);
  assert.deepEqual(r.outputs, [[3 * 0.5 - 2 * 0.25 - 1 + 5], [0.125]]);
});
