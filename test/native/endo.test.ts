// The MSM endomorphisms (GLV φ on G1, ψ on G2; docs/native-prover.md "Endomorphisms") checked in C++ against plain
// double-and-add: native/tools/endo_test.cpp, compiled here with the system g++ and cached under
// .cache/native-test/ by a hash of its sources (about 15 s cold, instant warm). Proofs made with the split are
// verified by snarkjs in prover.test.ts / keycache.test.ts (it is on by default) and with it off in paths.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CACHE, ROOT } from './fixtures.js';

const SOURCES = ['native/tools/endo_test.cpp', ...['field', 'curve', 'msm'].flatMap((f) => [`native/src/${f}.cpp`, `native/src/${f}.hpp`])];
const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' });
const skip = gxx.status === 0 ? false : 'g++ not found (needed to build the native unit test)';

function buildTool(): string {
  const h = createHash('sha256');
  for (const f of SOURCES) h.update(readFileSync(join(ROOT, f)));
  const bin = join(CACHE, `endo_test-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(bin)) return bin;
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  const cpp = SOURCES.filter((f) => f.endsWith('.cpp')).map((f) => join(ROOT, f));
  const r = spawnSync('g++', ['-O2', '-std=c++17', '-pthread', `-I${join(ROOT, 'native/src')}`, ...cpp, '-o', tmp], { encoding: 'utf8' });
  assert.equal(r.status, 0, `g++ failed:\n${r.stderr}`);
  renameSync(tmp, bin);
  return bin;
}

describe('native MSM endomorphisms', { skip }, () => {
  // default paths on two threads; one thread with Jacobian buckets and without the small-scalar path
  const runs: Array<[string, string, Record<string, string>]> = [
    ['1500', '1', { ZKINFER_NATIVE_THREADS: '2' }],
    ['600', '7', { ZKINFER_NATIVE_THREADS: '1', ZKINFER_NATIVE_MSM_PATH: 'jacobian', ZKINFER_NATIVE_SMALL_SCALARS: '0' }],
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
