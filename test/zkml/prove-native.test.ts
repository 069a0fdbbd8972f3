// The native (C++) backend behind the same pool and proof format, when its addon is built on this machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BN254_R } from '../../src/zkml/fixed-point.js';
import { loadNativeProver } from '../../src/zkml/prove/native/index.js';
import { closeDefaultPools, getProver, prove, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { verify } from '../../src/zkml/verify/index.js';
import { fixtureArtifacts } from './prove-fixtures.js';

const native = loadNativeProver();
let dir: string;
before(async () => { ({ dir } = await fixtureArtifacts('affine', 'affine-native')); });
after(async () => { await closeDefaultPools(); await releaseSnarkjsCurve(); await native?.close?.(); });

test('getProver: snarkjs by name; auto/native pick the addon when built, else snarkjs with a notice', async () => {
  assert.equal((await getProver('snarkjs')).name, 'snarkjs');
  const notices: string[] = [];
  const auto = await getProver('auto', (m) => notices.push(m));
  assert.equal(auto.name, native ? 'native' : 'snarkjs');
  assert.equal(notices.length, native ? 0 : 1);
  await auto.close?.();
});

test('native prover in the worker pool: same outputs as snarkjs, proof verifies, tampering rejected', { skip: native ? false : 'native addon not built here' }, async () => {
  const input = { input_data: [[1.5, -2.25, 0.125]] };
  const n = await prove(dir, input, { prover: 'native' });
  assert.equal(n.prover, 'native');
  const s = await prove(dir, input, { prover: 'snarkjs' });
  assert.deepEqual(n.public_signals, s.public_signals);
  assert.deepEqual(n.outputs, [[14.125], [-3.375]]);
  assert.equal((await verify(dir, n, { input })).valid, true);
  for (let i = 0; i < n.public_signals.length; i++) {
    const sig = [...n.public_signals];
    sig[i] = ((BigInt(sig[i]!) + 1n) % BN254_R).toString();
    assert.equal((await verify(dir, { ...n, public_signals: sig })).valid, false, `signal ${i}`);
  }
});
