// The one-file CLI bundle (dist/bundle/cli.cjs, src/cli/bundle.ts, docs/network.md "CLI start-up"): bin/zkinfer.js runs
// every command but `prove` from it, with a V8 code cache that grows by the commands it has served; what a command
// prints and its exit code are those of the compiled modules (ZKINFER_NO_BUNDLE=1). The rest of the suite drives the
// CLI through bin/zkinfer.js too (lifecycle/spawn-cli.ts), so every command tested from the CLI runs the bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildBundles, bundleFresh } from '../../src/cli/bundle.js';
import { repoRoot } from '../zkml/prove-fixtures.js';

const cache = mkdtempSync(join(tmpdir(), 'zkinfer-cli-bundle-'));
after(() => rmSync(cache, { recursive: true, force: true }));

const DEBUG = /^code cache \S+: (\w+)\n/;
const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(join(repoRoot, 'bin', 'zkinfer.js'), args, {
    cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ZKINFER_CACHE_DIR: cache, ZKINFER_CODE_CACHE_DEBUG: '1', ...env },
  });
  return { status: r.status, stdout: r.stdout, state: DEBUG.exec(r.stderr)?.[1], stderr: r.stderr.replace(DEBUG, '') };
};
const plain = (args: string[]) => run(args, { ZKINFER_NO_BUNDLE: '1' });
const cacheFiles = () => readdirSync(join(cache, 'v8-code')).sort();

test('bin/zkinfer.js runs every command but prove from the CLI bundle: the same output, errors and exit codes as the compiled modules; its code cache grows by command and is not rewritten for a command it holds', async (t) => {
  if (!bundleFresh('cli') && !(await buildBundles(['cli']))) return t.skip('esbuild is not installed');

  const version = run(['--version']);
  assert.equal(version.state, 'none', 'bin/zkinfer.js ran the bundle, with no cache yet');
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, plain(['--version']).stdout);
  const [file, list] = cacheFiles();
  assert.match(`${file} ${list}`, /^cli-[0-9a-f]{32} cli-[0-9a-f]{32}\.commands$/);
  const commands = () => readFileSync(join(cache, 'v8-code', list!), 'utf8');
  assert.equal(commands(), 'zkinfer\n');

  const models = run(['models', '--json']);
  assert.equal(models.state, 'used');
  assert.equal(models.status, 0, models.stderr);
  assert.deepEqual(JSON.parse(models.stdout), JSON.parse(plain(['models', '--json']).stdout));
  assert.equal(commands(), 'zkinfer\nzkinfer models\n', 'a command the cache did not hold adds its functions');
  const made = statSync(join(cache, 'v8-code', file!)).mtimeMs;
  assert.equal(run(['models', '--json']).state, 'used');
  assert.equal(statSync(join(cache, 'v8-code', file!)).mtimeMs, made, 'a command the cache holds does not write it again');

  // typed errors: the same message and exit code 2, through dynamic imports of the command's modules
  for (const args of [['models', '--schema', 'nope'], ['devnet', 'metagraph', '--network', 'http://127.0.0.1:9']]) {
    const b = run(args), p = plain(args);
    assert.equal(b.state, 'used');
    assert.equal(b.status, 2, b.stderr);
    assert.deepEqual([b.status, b.stdout, b.stderr], [p.status, p.stdout, p.stderr]);
  }
  assert.deepEqual(cacheFiles(), [file, list], 'one cache per bundle build');
});

test('bin/zkinfer.js runs `zkinfer eth …` from the eth bundle (the eth group, viem inside): the same output, errors and exit codes as the compiled modules, no viem module loaded from node_modules', async (t) => {
  if (!bundleFresh('eth') && !(await buildBundles(['eth']))) return t.skip('esbuild is not installed');
  const deployment = join(cache, 'deployment.json');
  writeFileSync(deployment, '{}');
  // loads viem, then fails at once on a closed port
  const args = ['eth', 'points', '--rpc', 'http://127.0.0.1:9', '--deployment', deployment, '--dev-account', '0'];
  const first = run(args), p = plain(args);
  assert.equal(first.state, 'none', 'bin/zkinfer.js ran the eth bundle, with no cache of its own yet');
  assert.equal(first.status, 2, first.stderr);
  assert.match(first.stderr, /^error: cannot reach the Ethereum node at http:\/\/127\.0\.0\.1:9/);
  assert.deepEqual([first.status, first.stdout, first.stderr], [p.status, p.stdout, p.stderr]);
  assert.ok(cacheFiles().some((f) => /^eth-[0-9a-f]{32}$/.test(f)), cacheFiles().join(' '));
  // only the eth group is registered in it: the same help and usage errors as the whole program's
  for (const more of [['eth', '--help'], ['eth', 'deposit', '--help'], ['eth', 'nope'], ['eth', 'points', '--dev-account', '10']]) {
    const b = run(more), m = plain(more);
    assert.deepEqual([b.status, b.stdout, b.stderr], [m.status, m.stdout, m.stderr], more.join(' '));
  }
  // Node's module trace names every CommonJS file it loads: none of viem's
  const traced = run(args, { NODE_DEBUG: 'module' });
  assert.match(traced.stderr, /^code cache \S+: used$/m);
  assert.equal(traced.status, 2, traced.stderr);
  assert.match(traced.stderr, /^MODULE \d+: /m, 'the trace is on');
  assert.doesNotMatch(traced.stderr, /node_modules[\\/](viem|ox|@noble)[\\/]/);
});
