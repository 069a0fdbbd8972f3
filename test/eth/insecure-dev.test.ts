import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkInsecureDevRegistration, DEV_CHAIN_ID } from '../../src/eth/circuit.js';
import { DeploymentError } from '../../src/eth/errors.js';

test('an INSECURE-DEV circuit registers on local anvil, and on a real chain only with --allow-insecure-dev', () => {
  checkInsecureDevRegistration('INSECURE-DEV', DEV_CHAIN_ID, false);
  checkInsecureDevRegistration('ceremony', 1, false);
  assert.throws(() => checkInsecureDevRegistration('INSECURE-DEV', 1, false), (e: unknown) => e instanceof DeploymentError && /--allow-insecure-dev/.test(e.hint ?? ''));
  assert.throws(() => checkInsecureDevRegistration('INSECURE-DEV', 11155111, undefined), DeploymentError);
  checkInsecureDevRegistration('INSECURE-DEV', 1, true);
});
