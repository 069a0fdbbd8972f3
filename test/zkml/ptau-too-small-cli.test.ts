// Issue #11, item "past the largest ptau": `zkinfer compile --ptau FILE` with a ptau smaller than the model needs
// fails in the real CLI before any expensive step, with a typed error naming the constraints, the public signals and
// the power to use (docs/zkml-compile.md, "Limits").
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getDevPtau } from '../../src/zkml/setup/dev-ptau.js';
import { mlpModel } from '../fixtures/onnx/models.js';
import { testCache, zkinfer } from './prove-fixtures.js';

test('zkinfer compile --ptau refuses a too-small ptau with the constraints and the power needed', async () => {
  const dir = join(testCache, `ptau-small-cli-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const model = join(dir, 'mlp.onnx');
    writeFileSync(model, mlpModel());
    const small = await getDevPtau(4, { cacheDir: join(testCache, 'setup') });
    const out = join(dir, 'art');
    const t0 = performance.now();
    const r = zkinfer(['compile', model, '--out', out, '--ptau', small.path, '--precision', 'fast'], { ZKINFER_CACHE_DIR: testCache });
    const ms = performance.now() - t0;
    assert.notEqual(r.code, 0, 'a too-small ptau must fail the compile');
    assert.match(r.stderr, /has power 4; the model needs 278 constraints \+ \d+ public signals, i\.e\. a powers of tau of power 9/);
    assert.match(r.stderr, /pass a ptau of power ≥ 9 \(e\.g\. powersOfTau28_hez_final_09\.ptau\)/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace for a user error');
    assert.equal(existsSync(join(out, 'circuit.zkey')), false, 'no key is written');
    assert.ok(ms < 120_000, `refused before setup (${ms.toFixed(0)} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
