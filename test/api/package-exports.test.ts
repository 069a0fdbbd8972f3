import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { repoRoot } from '../zkml/prove-fixtures.js';

test('the package main entry is the zkML library: compile, prove, verify and the circuit format', async () => {
  assert.equal(relative(repoRoot, fileURLToPath(import.meta.resolve('zkinfer'))), 'dist/src/zkml/index.js');
  const lib = await import('../../src/zkml/index.js');
  for (const name of ['compile', 'prove', 'verify', 'loadArtifacts', 'decodeOutputs', 'bindInputs', 'parseProofFile', 'circuitIdOfVk', 'circuitIdOfVkAsync', 'exportSolidityVerifier']) {
    assert.equal(typeof (lib as Record<string, unknown>)[name], 'function', name);
  }
});

test('the package exports zkinfer/client and zkinfer/api (self-reference resolves to the build)', () => {
  assert.equal(relative(repoRoot, fileURLToPath(import.meta.resolve('zkinfer/client'))), 'dist/src/client/index.js');
  assert.equal(relative(repoRoot, fileURLToPath(import.meta.resolve('zkinfer/api'))), 'dist/src/api/index.js');
});
