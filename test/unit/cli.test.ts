import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { VERSION, VERSION_KEY } from '../../src/version.js';

test('zkinfer --version prints the package version', () => {
  const out = execFileSync(process.execPath, ['bin/zkinfer.js', '--version'], { encoding: 'utf8' });
  assert.equal(out.trim(), VERSION);
});

test('bin/zkinfer.js run as a program (its sh launcher): offline commands start Node without NODE_EXTRA_CA_CERTS and hand it back to process.env; other commands keep it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'zkinfer-launcher-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // a preload that reports, at exit, what the program's process.env holds
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, "process.on('exit', () => process._rawDebug('env ' + JSON.stringify([process.env.NODE_EXTRA_CA_CERTS, process.env.ZKINFER_DEFERRED_EXTRA_CA_CERTS])));\n");
  const missing = join(dir, 'no-such-bundle.pem'); // Node warns at start when it reads a missing file
  const run = (...args: string[]) => spawnSync(resolve('bin/zkinfer.js'), args, { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: missing, NODE_OPTIONS: `--require ${probe}` } });
  const READ = /Ignoring extra certs from/;
  for (const args of [['--version'], ['prove', '--help'], ['verify', '--help']]) {
    const r = run(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, READ, `${args.join(' ')}: Node did not read the certificates`);
    const env = /^env (.*)$/m.exec(r.stderr);
    assert.deepEqual(env && JSON.parse(env[1]!), [missing, null], `${args.join(' ')}: the variable is back in process.env, the marker gone`);
    if (args[0] === '--version') assert.equal(r.stdout.trim(), VERSION);
  }
  const net = run('query', '--help'); // a command that may open TLS connections: Node reads the file as it would without the launcher
  assert.equal(net.status, 0, net.stderr);
  assert.match(net.stderr, READ);
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

// docs/network.md "CLI errors": an error zkinfer did not raise on purpose is one `error:` line, exit 1, with no stack and
// no source line; rethrown, Node printed a JSON.parse error with the text it parsed (a keyfile's secret phrase).
test('an unexpected error in a command: one error line, exit 1, no stack or parsed text; ZKINFER_DEBUG=1 adds the stack', () => {
  const program = new URL('../../src/cli/program.js', import.meta.url).href;
  const script = `import(${JSON.stringify(program)}).then((m) => m.runCli(['node', 'zkinfer', 'boom'], (p) => {
    p.command('boom').action(() => { JSON.parse('{"secretPhrase":"tooth mango zebra' + String.fromCharCode(10) + 'river"}'); });
  }));`;
  const run = (env: Record<string, string>) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  const r = run({ ZKINFER_DEBUG: '0' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^error: SyntaxError: invalid data at position \d+ \(message withheld/);
  assert.doesNotMatch(r.stderr + r.stdout, /tooth|mango|zebra|river/);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  const debug = run({ ZKINFER_DEBUG: '1' });
  assert.equal(debug.status, 1, debug.stderr);
  assert.match(debug.stderr, /^\s+at /m);
});
