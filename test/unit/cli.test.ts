import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { VERSION, VERSION_KEY } from '../../src/version.js';

test('zkinfer --version prints the package version', () => {
  const out = execFileSync(process.execPath, ['bin/zkinfer.js', '--version'], { encoding: 'utf8' });
  assert.equal(out.trim(), VERSION);
});

test('version key is major*1e6 + minor*1e3 + patch', () => {
  const [a, b, c] = VERSION.split('.').map(Number);
  assert.equal(VERSION_KEY, a! * 1e6 + b! * 1e3 + c!);
});
