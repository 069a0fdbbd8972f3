import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as snarkjs from 'snarkjs';
import { loadNativeProver, nativeAddonError } from '../../src/zkml/prove/native/index.js';
import { endSnarkjs, fixture, inputsFor, witness, type Fixture } from './fixtures.js';

// The MSM picks its bucket strategy (affine batches vs Jacobian) and the small-scalar grouping by size, so small
// test circuits alone would leave paths untested. Each configuration below is forced through environment
// variables in a child process (the addon reads them once), and its proofs are verified here with snarkjs.
const prover = loadNativeProver();
const skip = prover ? false : `native addon not built: ${nativeAddonError()}`;
let dir: string;
const jobs: Array<{ fx: Fixture; wtns: string }> = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkinfer-native-paths-'));
  if (!prover) return;
  for (const [name, v] of [['prod', 2], ['wide', 0], ['mix', 1]] as const) {
    const fx = await fixture(name);
    const path = join(dir, `${name}-${v}.wtns`);
    writeFileSync(path, await witness(fx, inputsFor(name, v)));
    jobs.push({ fx, wtns: path });
  }
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await endSnarkjs();
});

function proveInChild(env: Record<string, string>): Array<{ proof: unknown; publicSignals: string[] }> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const mod = fileURLToPath(new URL(`../../src/zkml/prove/native/index${ext}`, import.meta.url));
  const code = `
    import { readFileSync } from 'node:fs';
    const m = await import(${JSON.stringify(mod)});
    const p = m.loadNativeProver();
    const out = [];
    for (const [zkey, wtns] of ${JSON.stringify(jobs.map((j) => [j.fx.zkey, j.wtns]))}) out.push(await p.prove(zkey, readFileSync(wtns)));
    await p.close();
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, [...process.execArgv.filter((a) => !a.startsWith('--test')), '--input-type=module', '-e', code], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Array<{ proof: unknown; publicSignals: string[] }>;
}

describe('native prover: every MSM configuration gives valid proofs', { skip }, () => {
  const configs: Array<[string, Record<string, string>]> = [
    ['affine buckets everywhere', { ZKINFER_NATIVE_MSM_PATH: 'affine' }],
    ['Jacobian buckets everywhere', { ZKINFER_NATIVE_MSM_PATH: 'jacobian' }],
    ['sorted buckets everywhere', { ZKINFER_NATIVE_MSM_PATH: 'sorted' }],
    ['small-scalar path off, affine', { ZKINFER_NATIVE_SMALL_SCALARS: '0', ZKINFER_NATIVE_MSM_PATH: 'affine' }],
    ['one thread, portable (non-ADX) field multiply', { ZKINFER_NATIVE_THREADS: '1', ZKINFER_NATIVE_NO_ASM: '1' }],
    ['scalar inversion and additions (IFMA lanes off), window 13', { ZKINFER_NATIVE_IFMA: '0', ZKINFER_NATIVE_MSM_WINDOW: '13' }],
    ['three threads', { ZKINFER_NATIVE_THREADS: '3' }],
    ['endomorphism split (GLV on G1, ψ on G2) on', { ZKINFER_NATIVE_ENDO: '1' }],
    ['window 13 everywhere (batched bucket reduction, wait queue)', { ZKINFER_NATIVE_MSM_WINDOW: '13' }],
    ['window 13, split on, one thread', { ZKINFER_NATIVE_MSM_WINDOW: '13', ZKINFER_NATIVE_ENDO: '1', ZKINFER_NATIVE_THREADS: '1' }],
  ];
  for (const [label, env] of configs) {
    test(label, async () => {
      const proofs = proveInChild(env);
      assert.equal(proofs.length, jobs.length);
      for (let i = 0; i < jobs.length; i++) {
        const ok = await snarkjs.groth16.verify(jobs[i]!.fx.vk, proofs[i]!.publicSignals, proofs[i]!.proof);
        assert.equal(ok, true, `${jobs[i]!.fx.name} proof verifies with ${label}`);
      }
    });
  }
});
