import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { repoRoot } from '../zkml/prove-fixtures.js';

test('the package exports zkinfer/client and zkinfer/api (self-reference resolves to the build)', () => {
  assert.equal(relative(repoRoot, fileURLToPath(import.meta.resolve('zkinfer/client'))), 'dist/src/client/index.js');
  assert.equal(relative(repoRoot, fileURLToPath(import.meta.resolve('zkinfer/api'))), 'dist/src/api/index.js');
});
