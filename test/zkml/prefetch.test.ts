// Early artifact hashes (src/zkml/artifacts/prefetch.ts, docs/security.md "Artifact checks"): a one-shot `zkinfer
// prove` starts hashing the circuit folder before its bundle loads, and loadArtifacts takes those hashes — each once —
// in place of reading the files again. The check itself is unchanged: a tampered file is refused by its early hash
// just as by a late one, and a failed early hash is made again.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ArtifactsError, loadArtifacts, sha256File } from '../../src/zkml/artifacts/index.js';
import { prefetchArtifactHashes, takePrefetchedHash } from '../../src/zkml/artifacts/prefetch.js';
import { loadNativeAddon } from '../../src/zkml/prove/native/addon.js';
import { closeDefaultPools, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { copyArtifacts, fixtureArtifacts, testCache } from './prove-fixtures.js';

let dir: string;
before(async () => { ({ dir } = await fixtureArtifacts('affine', 'affine-artifacts')); });
after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); });
const files = ['vk.json', 'witness.wasm', 'circuit.r1cs', 'circuit.zkey'];

test('the early hashes are those of the files, each taken once, and loadArtifacts passes with them', async (t) => {
  if (!loadNativeAddon()?.sha256Files) return t.skip('native addon not built: no early hashes');
  prefetchArtifactHashes(dir);
  for (const f of files) {
    const early = takePrefetchedHash(join(dir, f));
    assert.ok(early, `${f} is hashed early`);
    assert.equal(await early, await sha256File(join(dir, f)), f);
    assert.equal(takePrefetchedHash(join(dir, f)), undefined, `${f}: an early hash is used once`);
  }
  prefetchArtifactHashes(dir);
  await loadArtifacts(dir);
  for (const f of files) assert.equal(takePrefetchedHash(join(dir, f)), undefined, `loadArtifacts took the early hash of ${f}`);
});

test('a tampered zkey is refused through its early hash; an early hash that failed is made again', async (t) => {
  if (!loadNativeAddon()?.sha256Files) return t.skip('native addon not built: no early hashes');
  const bad = await copyArtifacts(dir, join(testCache, 'artifacts', `prefetch-tampered-${process.pid}`));
  const zkey = join(bad, 'circuit.zkey');
  const bytes = await readFile(zkey);
  bytes[bytes.length - 10] ^= 1;
  await writeFile(zkey, bytes);
  prefetchArtifactHashes(bad);
  await assert.rejects(loadArtifacts(bad), (e: unknown) => e instanceof ArtifactsError && e.code === 'ARTIFACT_HASH_MISMATCH' && /circuit\.zkey/.test(e.message));

  // the r1cs is missing while it is hashed early, then put back: the failed early hash is made again
  const r1cs = join(bad, 'circuit.r1cs');
  const r1csBytes = await readFile(r1cs);
  await writeFile(zkey, await readFile(join(dir, 'circuit.zkey')));
  await rm(r1cs);
  prefetchArtifactHashes(bad);
  await takePrefetchedHash(zkey); // hashed last: the r1cs's early hash has failed by now
  await writeFile(r1cs, r1csBytes);
  await loadArtifacts(bad);
});

test('the addon\'s sha256Files hashes a series in one job: each file\'s sha256File, null for a file it cannot read', async (t) => {
  const addon = loadNativeAddon();
  if (!addon?.sha256Files) return t.skip('native addon without sha256Files');
  const paths = [...files.map((f) => join(dir, f)), join(dir, 'missing.bin'), dir];
  const got = await addon.sha256Files(paths);
  assert.deepEqual(got, [...await Promise.all(files.map((f) => sha256File(join(dir, f)))), null, null]);
  assert.throws(() => addon.sha256Files!([1 as unknown as string]), /entry 0 is not a string/);
});
