// src/cli/sync-output.ts in real child processes (docs/network.md "CLI start-up", round 10): lines written to fd 1
// synchronously, the stream used behind queued output and on a full non-blocking pipe (EAGAIN), nothing created that
// was not used.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const fromSource = import.meta.url.endsWith('.ts'); // npm test runs the compiled tests from dist/
const tsx = fromSource ? ['--import', 'tsx'] : [];
const helper = fileURLToPath(new URL(`../../src/cli/sync-output.${fromSource ? 'ts' : 'js'}`, import.meta.url));
const child = (body: string) => spawnSync(process.execPath, [...tsx, '--input-type=module', '-e', `const o = await import(${JSON.stringify(helper)});\n${body}`], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 24 });

test('printLine writes synchronously without creating process.stdout; createdStdio lists only the streams something used', () => {
  const r = child(`o.printLine('a'); o.writeFd(2, 'e\\n'); const before = o.createdStdio().length; console.error('via console'); require('node:fs').writeSync(2, String(before) + ' ' + o.createdStdio().map((s) => s.fd).join(',') + '\\n');`.replace('require(\'node:fs\')', '(await import("node:fs"))'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'a\n');
  assert.equal(r.stderr, 'e\nvia console\n0 2\n');
});

test('writeFd keeps order behind the stream\'s queued output and falls back to the stream on EAGAIN (a full non-blocking pipe): every byte arrives, in order', () => {
  // creating process.stdout on a pipe makes the pipe non-blocking (libuv); its first short line goes out at once, then
  // 100 kB lines overfill the 64 kB pipe buffer, writeSync meets EAGAIN (seen with strace) and the rest is queued on
  // the stream, behind which the later lines wait
  const r = child(`process.stdout.write('s\\n'); for (let i = 0; i < 30; i++) o.writeFd(1, String(i % 10).repeat(100000) + '\\n');`);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines.length, 32);
  assert.equal(lines[0], 's');
  for (let i = 0; i < 30; i++) assert.equal(lines[i + 1], String(i % 10).repeat(100000), `line ${i + 1}`);
});

test('writeFd to a reader that has gone (EPIPE) drops the text without an error', () => {
  const r = spawnSync('bash', ['-c', `"$0" "$@" | (exec 0<&-; sleep 1); exit "\${PIPESTATUS[0]}"`, process.execPath, ...tsx, '--input-type=module', '-e', `const o = await import(${JSON.stringify(helper)}); await new Promise((r) => setTimeout(r, 300)); o.printLine('x'); o.writeFd(2, 'done\\n');`], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'done\n');
});
