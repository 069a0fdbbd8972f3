import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { InsecureCircuitError, loadValidatorCircuit } from '../../src/validator/circuits.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';

after(releaseSnarkjsCurve);

test('a validator refuses an INSECURE-DEV circuit unless allowed (--allow-insecure-dev)', async () => {
  const { dir, metadata } = await fixtureArtifacts('affine', 'affine-validator-insecure');
  assert.equal(metadata.security, 'INSECURE-DEV');
  await assert.rejects(loadValidatorCircuit(dir), (e: unknown) =>
    e instanceof InsecureCircuitError && e.code === 'INSECURE_DEV_REFUSED' && /--allow-insecure-dev/.test(e.hint ?? ''));
  const c = await loadValidatorCircuit(dir, { allowInsecureDev: true });
  assert.equal(c.id, metadata.id);
});
