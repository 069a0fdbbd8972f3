import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { devPtauHashes } from '../../src/zkml/setup/ptau.js';
import { checkCeremonyPtau, getDevPtau, readPtauInfo, readR1csHeader, requiredPower, setupCircuit, SetupError } from '../../src/zkml/setup/index.js';
import { compileFixture, testCache, zkeyVerifies } from './prove-fixtures.js';
import { ceremonyTestPtau } from './ceremony-ptau.js';

const work = join(testCache, `setup-circuit-${process.pid}`);
after(async () => { await releaseSnarkjsCurve(); await rm(work, { recursive: true, force: true }); });
const isCode = (code: string) => (e: unknown) => e instanceof SetupError && e.code === code;

test('dev setup: INSECURE-DEV, circuit id from the vk, keys cached by (r1cs, ptau) hash', async () => {
  const c = await compileFixture('affine');
  const steps: string[] = [];
  const a = await setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, 'dev-a'), cacheDir: testCache, onProgress: (s) => steps.push(s) });
  assert.equal(a.security, 'INSECURE-DEV');
  assert.match(a.ptau.source, /INSECURE-DEV/);
  assert.equal(a.constraints, (await readR1csHeader(c.r1cs)).nConstraints);
  assert.match(a.circuitId, /^[0-9a-f]{64}$/);
  const b = await setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, 'dev-b'), cacheDir: testCache });
  assert.equal(b.cached, true);
  assert.equal(b.circuitId, a.circuitId);
  assert.deepEqual(await readFile(b.zkeyPath), await readFile(a.zkeyPath));
  // The cached dev key passes snarkjs's own check against the dev ptau.
  const ptau = await getDevPtau(a.ptau.power, { cacheDir: testCache });
  assert.equal(ptau.sha256, a.ptau.sha256);
  assert.equal(await zkeyVerifies(c.r1cs, ptau.path, a.zkeyPath), true);
});

test('ceremony setup: checks the ptau, runs zkey new + a random contribution, records its sha256', async () => {
  const c = await compileFixture('affine');
  await mkdir(work, { recursive: true });
  const power = requiredPower(await readR1csHeader(c.r1cs));
  // A real (small) ceremony output: snarkjs accumulator + one random contribution + prepare phase 2.
  const ceremony = await ceremonyTestPtau(power + 1);
  const r = await setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, 'cer'), ptauPath: ceremony, cacheDir: join(work, 'cache') });
  assert.equal(r.security, 'ceremony');
  assert.equal(r.ptau.power, power + 1);
  assert.equal(r.cached, false);
  assert.equal(await zkeyVerifies(c.r1cs, ceremony, r.zkeyPath), true);
  const again = await setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, 'cer2'), ptauPath: ceremony, cacheDir: join(work, 'cache') });
  assert.equal(again.cached, true);
  assert.equal(again.circuitId, r.circuitId);
});

test('the security label comes from provenance: a dev ptau passed as --ptau is refused, never labelled ceremony', async () => {
  const c = await compileFixture('affine');
  await mkdir(work, { recursive: true });
  const power = requiredPower(await readR1csHeader(c.r1cs));
  const dev = await getDevPtau(power + 1, { cacheDir: testCache });
  const notCeremony = (re: RegExp) => (e: unknown) => isCode('PTAU_NOT_CEREMONY')(e) && re.test((e as Error).message);
  // by its name
  await assert.rejects(setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, 'n'), ptauPath: dev.path, cacheDir: testCache }), notCeremony(/named like a dev/));
  // a renamed copy: no contribution recorded
  const copy = join(work, 'powersOfTau28_hez_final_99.ptau');
  await copyFile(dev.path, copy);
  await assert.rejects(setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, 'c'), ptauPath: copy, cacheDir: testCache }), notCeremony(/no contribution/));
  // a renamed copy whose contribution count was edited: caught by its hash (the cache records every dev ptau's)
  const edited = join(work, 'edited.ptau');
  await copyFile(dev.path, edited);
  const { readBinSections } = await import('../../src/zkml/setup/binfile.js');
  const sec7 = (await readBinSections(edited)).sections.get(7)![0]!;
  const { open } = await import('node:fs/promises');
  const fh = await open(edited, 'r+');
  await fh.write(Buffer.from([1, 0, 0, 0]), 0, 4, sec7.offset);
  await fh.close();
  assert.equal((await readPtauInfo(edited)).contributions, 1);
  assert.ok((await devPtauHashes(testCache)).has(dev.sha256));
  // a cache that recorded this file as one of its dev ptaus refuses it by hash, whatever its name and count say
  const cache = join(work, 'hash-cache');
  await mkdir(join(cache, 'ptau'), { recursive: true });
  const { sha256File } = await import('../../src/zkml/artifacts/files.js');
  await writeFile(join(cache, 'ptau', 'dev-0a-09.INSECURE.ptau.sha256'), (await sha256File(edited)) + '\n');
  await assert.rejects(checkCeremonyPtau(edited, power, { cacheDir: cache }), notCeremony(/copy of a zkinfer dev powers of tau/));
});

test('bad ceremony ptau files are refused with a clear typed error', async () => {
  const c = await compileFixture('square-chain');
  await mkdir(work, { recursive: true });
  const small = (await getDevPtau(5, { cacheDir: testCache })).path;
  await assert.rejects(setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, 'x'), ptauPath: small }),
    (e: unknown) => isCode('PTAU_TOO_SMALL')(e) && /power 5, the circuit needs 9/.test((e as Error).message));

  const unprepared = join(work, 'unprepared.ptau');
  await snarkjs.powersOfTau.newAccumulator(await (await import('../../src/zkml/prove/curve.js')).snarkjsCurve(), 4, unprepared);
  assert.equal((await readPtauInfo(unprepared)).prepared, false);
  await assert.rejects(checkCeremonyPtau(unprepared, 3), isCode('PTAU_NOT_PREPARED'));

  const cut = join(work, 'truncated.ptau');
  await copyFile(small, cut);
  await truncate(cut, 5000);
  await assert.rejects(readPtauInfo(cut), isCode('PTAU_INVALID'));
  await assert.rejects(readPtauInfo(c.r1cs), (e: unknown) => isCode('PTAU_INVALID')(e) && /not a \.ptau file/.test((e as Error).message));
  const junk = join(work, 'junk.ptau');
  await writeFile(junk, 'hello');
  await assert.rejects(readPtauInfo(junk), isCode('PTAU_INVALID'));
});

test('two concurrent setups of one circuit publish one consistent (zkey, vk) pair to the cache', async () => {
  const c = await compileFixture('affine');
  const cache = join(work, 'race-cache');
  const [a, b] = await Promise.all(['race-a', 'race-b'].map((d) => setupCircuit({ r1csPath: c.r1cs, wasmPath: c.wasm, outDir: join(work, d), cacheDir: cache })));
  assert.equal(a!.circuitId, b!.circuitId);
  assert.deepEqual(await readFile(a!.zkeyPath), await readFile(b!.zkeyPath));
  const vk = await snarkjs.zKey.exportVerificationKey(a!.zkeyPath);
  assert.deepEqual(vk, JSON.parse(await readFile(b!.vkPath, 'utf8')), 'the vk belongs to the zkey');
});
