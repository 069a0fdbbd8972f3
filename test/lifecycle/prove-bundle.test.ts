// The one-file `zkinfer prove` bundle (src/cli/bundle.ts, docs/network.md "CLI start-up"): built from the sources by
// esbuild as `npm run build` does, run as a child process as bin/zkinfer.js runs it; its proof verifies and binds the
// given input, its outputs are those of the unbundled CLI, and a bad input is the same typed error with exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildBundles } from '../../src/cli/bundle.js';
import { closeDefaultPools, releaseSnarkjsCurve } from '../../src/zkml/prove/index.js';
import { loadVerifierKey, verify } from '../../src/zkml/verify/index.js';
import { copyArtifacts, fixtureArtifacts, repoRoot, testCache, zkinfer } from '../zkml/prove-fixtures.js';

let dir: string;
const work = join(testCache, `prove-bundle-${process.pid}`);
const input = { input_data: [[0.5, 0.25, -1]] };
before(async () => {
  ({ dir } = await fixtureArtifacts('affine', 'affine-artifacts'));
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'in.json'), JSON.stringify(input));
});
after(async () => { rmSync(work, { recursive: true, force: true }); await closeDefaultPools(); await releaseSnarkjsCurve(); });

// the bundle is a wrapped module (bundle.ts), run by its runner as bin/zkinfer.js does (here without a code cache)
const bundled = (args: string[]) => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'zkinfer.js'), ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ZKINFER_CODE_CACHE: '0', ZKINFER_CODE_CACHE_DEBUG: '1' } });
  assert.match(r.stderr, /^code cache off: none\n/, 'bin/zkinfer.js ran the bundle');
  return { ...r, stderr: r.stderr.replace(/^code cache off: none\n/, '') };
};

test('the prove bundle proves as the CLI does: a valid proof bound to the input, the same outputs; typed errors exit 2', async (t) => {
  if (!(await buildBundles(['prove']))) return t.skip('esbuild is not installed');
  const r = bundled(['prove', dir, '--input', join(work, 'in.json'), '--out', join(work, 'bundle.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /proof written to/);
  const proof = JSON.parse(readFileSync(join(work, 'bundle.json'), 'utf8')) as unknown;
  const v = await verify(await loadVerifierKey(dir), proof, { input });
  assert.equal(v.valid, true, v.reason);
  const other = await verify(await loadVerifierKey(dir), proof, { input: { input_data: [[0.5, 0.25, 1]] } });
  assert.equal(other.valid, false, 'the proof must not verify for another input');

  const plain = zkinfer(['prove', dir, '--input', join(work, 'in.json'), '--out', join(work, 'plain.json')]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual((proof as { outputs: unknown }).outputs, JSON.parse(readFileSync(join(work, 'plain.json'), 'utf8')).outputs);

  const bad = bundled(['prove', dir, '--input', join(work, 'missing.json'), '--out', join(work, 'x.json')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /error: cannot read input file/);
  const help = bundled(['prove', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: zkinfer prove \[options\] <dir>/);
});

test('bin/zkinfer.js, run as a program (its sh launcher), runs the bundle with a V8 code cache (and a witness program\'s tape), made on the first run and used after (dynamic imports included); a damaged code cache is refused by V8 and made again', async (t) => {
  if (!(await buildBundles(['prove']))) return t.skip('esbuild is not installed');
  const cache = join(work, 'user-cache');
  const run = (out: string) => spawnSync(join(repoRoot, 'bin', 'zkinfer.js'), ['prove', dir, '--input', join(work, 'in.json'), '--out', join(work, out)], {
    // Node's path of `zkinfer prove` (not the native program, test/zkml/native-prove-cli.test.ts)
    cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ZKINFER_CACHE_DIR: cache, ZKINFER_CODE_CACHE_DEBUG: '1', ZKINFER_NATIVE_CLI: '0' },
  });
  const states: string[] = [];
  for (const [i, out] of ['a.json', 'b.json', 'c.json'].entries()) {
    if (i === 2) for (const f of readdirSync(join(cache, 'v8-code'))) writeFileSync(join(cache, 'v8-code', f), Buffer.alloc(4096, 7));
    const r = run(out);
    assert.equal(r.status, 0, r.stderr);
    states.push(/code cache \S+: (\w+)/.exec(r.stderr)?.[1] ?? '?');
    const v = await verify(await loadVerifierKey(dir), JSON.parse(readFileSync(join(work, out), 'utf8')), { input });
    assert.equal(v.valid, true, v.reason);
  }
  assert.deepEqual(states, ['none', 'used', 'rejected']);
  const current = readdirSync(join(cache, 'v8-code')).sort();
  assert.match(current.join(' '), /^prove-[0-9a-f]{32} prove-[0-9a-f]{32}\.commands$/);
  assert.equal(readFileSync(join(cache, 'v8-code', current[1]!), 'utf8'), 'zkinfer prove\n', 'the commands the cache was made by');
  for (const f of current) rmSync(join(cache, 'v8-code', f));
  const earlier = `prove-${'0'.repeat(32)}`;
  writeFileSync(join(cache, 'v8-code', earlier), 'an earlier build\'s cache');
  writeFileSync(join(cache, 'v8-code', `${earlier}.commands`), 'zkinfer prove\n');
  assert.equal(run('d.json').status, 0);
  assert.deepEqual(readdirSync(join(cache, 'v8-code')).sort(), current, 'the cache of an earlier build is dropped when a new one is written');
  if (existsSync(join(dir, 'witness.json'))) assert.equal(readdirSync(join(cache, 'witness-tape')).length, 1, 'the tape recorded once');
});

test('bin/zkinfer.js prove hashes the folder early (prefetch.ts) and still refuses a tampered zkey with exit 2', async (t) => {
  if (!(await buildBundles(['prove']))) return t.skip('esbuild is not installed');
  const bad = await copyArtifacts(dir, join(work, 'tampered'));
  const zkey = join(bad, 'circuit.zkey');
  const bytes = readFileSync(zkey);
  bytes[bytes.length - 10] ^= 1;
  writeFileSync(zkey, bytes);
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'zkinfer.js'), 'prove', bad, '--input', join(work, 'in.json'), '--out', join(work, 'tampered.json')], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /circuit\.zkey has sha256 [0-9a-f]{64}, but metadata\.json records/);
  assert.equal(existsSync(join(work, 'tampered.json')), false, 'no proof is written');
});

test('the bundle writes its result lines to fd 1 synchronously (sync-output.ts): the same bytes as the unbundled CLI with stdout a pipe or a file; a reader gone early still exits 0 with the proof written', async (t) => {
  if (!(await buildBundles(['prove']))) return t.skip('esbuild is not installed');
  const out = join(work, 'stdout.json');
  const argv = [join(repoRoot, 'bin', 'zkinfer.js'), 'prove', dir, '--input', join(work, 'in.json'), '--out', out];
  const timings = (s: string) => s.replace(/\d+(\.\d+)? ms/g, 'N ms');
  const run = (env: Record<string, string>, stdout: 'pipe' | number = 'pipe') => spawnSync(process.execPath, argv, { cwd: repoRoot, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, ...env } });
  const plain = run({ ZKINFER_NO_BUNDLE: '1' });
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /^proof written to .*\noutputs .*\nprover .* ms\n$/m);
  // Node's modules loaded by the end: no net.Socket for stdout on a pipe (sync-output.ts), no node:fs/promises from the
  // bundle (bundle.ts LAZY_FS_PROMISES: the prove path reads and writes synchronously; circom_runtime, which a circom
  // fixture's witness loads, may still use fs's internal promises)
  const preload = join(work, 'modules-at-exit.cjs');
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeSync(2, 'modules: ' + process.moduleLoadList.join(',') + '\\n'));\n");
  const piped = run({ NODE_OPTIONS: `--require ${preload}` });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(timings(piped.stdout), timings(plain.stdout));
  const modules = (/^modules: (.*)$/m.exec(piped.stderr)?.[1] ?? '').split(',');
  assert.ok(modules.includes('NativeModule vm'), 'the list is read at exit');
  for (const m of ['NativeModule net', 'NativeModule fs/promises']) assert.ok(!modules.includes(m), `${m} is not loaded`);
  const file = join(work, 'stdout.txt');
  const fd = openSync(file, 'w');
  try { assert.equal(run({}, fd).status, 0); } finally { closeSync(fd); }
  assert.equal(timings(readFileSync(file, 'utf8')), timings(plain.stdout));
  rmSync(out, { force: true });
  const gone = spawnSync('bash', ['-c', `"$0" "$@" | (exec 0<&-; sleep 1); exit "\${PIPESTATUS[0]}"`, process.execPath, ...argv], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.equal(gone.status, 0, gone.stderr);
  assert.equal(gone.stderr, '');
  const v = await verify(await loadVerifierKey(dir), JSON.parse(readFileSync(out, 'utf8')), { input });
  assert.equal(v.valid, true, v.reason);
});
