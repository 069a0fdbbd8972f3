// The MSM endomorphisms (GLV φ on G1, ψ on G2; docs/native-prover.md "Endomorphisms") checked in C++ against plain
// double-and-add: native/tools/endo_test.cpp, compiled here with the system g++ (linked with the addon's own object
// files when they are fresh, tool.ts) and cached under .cache/native-test/ (≈ 4 s cold, instant warm). Proofs made
// with the split are verified by snarkjs in prover.test.ts / keycache.test.ts (it is on by default) and with it off
// in paths.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { buildNativeTool, noGxx as skip } from './tool.js';

const buildTool = (): string => buildNativeTool('endo_test', ['field', 'curve', 'msm', 'fft']);

describe('native MSM endomorphisms', { skip }, () => {
  // default paths on two threads; one thread with Jacobian buckets and without the small-scalar path; sorted buckets
  const runs: Array<[string, string, Record<string, string>]> = [
    ['1500', '1', { ZKINFER_NATIVE_THREADS: '2' }],
    ['600', '7', { ZKINFER_NATIVE_THREADS: '1', ZKINFER_NATIVE_MSM_PATH: 'jacobian', ZKINFER_NATIVE_SMALL_SCALARS: '0' }],
    // every class through the sorted-bucket window (round 8), large windows and one-bucket skew included
    ['600', '3', { ZKINFER_NATIVE_THREADS: '2', ZKINFER_NATIVE_MSM_PATH: 'sorted' }],
  ];
  for (const [n, seed, env] of runs) {
    test(`φ = λ·P, ψ = μ·Q, scalar splits and MSMs agree with double-and-add (${n} terms, ${JSON.stringify(env)})`, () => {
      const r = spawnSync(buildTool(), [n, seed], { encoding: 'utf8', env: { ...process.env, ...env } });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.pop(), 'ALL OK');
      assert.ok(lines.length >= 20 && lines.every((l) => l.startsWith('ok ')), r.stdout);
    });
  }
});
