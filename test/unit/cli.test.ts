import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { VERSION, VERSION_KEY } from '../../src/version.js';

test('zkinfer --version prints the package version', () => {
  const out = execFileSync(process.execPath, ['bin/zkinfer.js', '--version'], { encoding: 'utf8' });
  assert.equal(out.trim(), VERSION);
});

test('the CLI entry loads no zod (or other package but commander) before a command runs: --version/--help stay fast', () => {
  // static imports reachable from the compiled entry; a command's own dependencies load inside its action
  // (dynamic import(), docs/network.md "CLI start-up")
  const seen = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  walk(resolve('dist/src/cli/main.js'));
  assert.ok(seen.size > 10, `walked ${seen.size} modules`);
  assert.deepEqual([...packages], ['commander']);
});

test('version key is major*1e6 + minor*1e3 + patch', () => {
  const [a, b, c] = VERSION.split('.').map(Number);
  assert.equal(VERSION_KEY, a! * 1e6 + b! * 1e3 + c!);
});
