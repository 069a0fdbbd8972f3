// The set-up command runs without warnings (README "Set-up"): `npm ci` reads package.json's `allowScripts`
// policy (npm ≥ 11's supported way to choose which dependency install scripts run) and must print no
// `npm warn` — no unknown project config, no dependency with unreviewed install scripts, no EBADENGINE — while
// onnxruntime-node's postinstall (a CUDA download from NuGet) stays skipped. The node_modules here is a shared
// install, so the check is `npm ci --dry-run --offline` in a temp copy of package.json + package-lock.json
// (root scripts left out: they build this checkout, not what is checked), never a real reinstall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const root = existsSync(join(ROOT, 'package-lock.json')) ? ROOT : join(ROOT, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: unknown; allowScripts?: Record<string, boolean> };
const npmMajor = Number(spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.split('.')[0]);

test('package.json denies onnxruntime-node its install script; no project .npmrc key npm does not know', () => {
  assert.equal(pkg.allowScripts?.['onnxruntime-node'], false);
  assert.ok(!existsSync(join(root, '.npmrc')) || !/onnxruntime/.test(readFileSync(join(root, '.npmrc'), 'utf8')));
  const r = spawnSync('npm', ['config', 'list'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /npm warn/i);
});

test('npm ci (dry run, offline, in a copy) prints no warning and every install script is reviewed', { skip: npmMajor < 11 ? `npm ${npmMajor} has no allowScripts policy (ONNXRUNTIME_NODE_INSTALL=skip npm ci instead)` : false }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-npm-ci-'));
  try {
    const { scripts: _rootScripts, ...rest } = pkg;
    writeFileSync(join(tmp, 'package.json'), JSON.stringify(rest, null, 2));
    copyFileSync(join(root, 'package-lock.json'), join(tmp, 'package-lock.json'));
    // --strict-allow-scripts turns an unreviewed install script into an error, so a new dependency with one fails here
    const r = spawnSync('npm', ['ci', '--dry-run', '--offline', '--strict-allow-scripts', '--no-audit', '--no-fund'], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // no EBADENGINE either: package.json's `overrides` pins light-my-request's cookie to 1.1.1 (Node ≥ 18) instead
    // of cookie@2 (Node ≥ 22) — docs/network.md, "Installing"
    const warnings = (r.stdout + r.stderr).split('\n').filter((l) => /npm warn/i.test(l));
    assert.deepEqual(warnings, []);
    assert.match(r.stdout, /add cookie 1\.1\.1/);
    assert.match(r.stdout, /add onnxruntime-node 1\./);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
