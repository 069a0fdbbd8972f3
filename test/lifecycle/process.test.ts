// Process lifecycle with real child processes (docs/network.md, "One process per data folder" and
// "Stopping"): one owner per data folder, stale locks taken over, one SIGTERM/SIGINT stops cleanly within
// 10 s with state kept, a second signal forces, and start-up errors exit non-zero at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE } from '../../src/lifecycle/lock.js';
import { CLI_NODE_ARGS, startCli } from './spawn-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-lifecycle-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('devnet node: a second process on the same --data is refused; SIGTERM stops the first within 10 s with state kept', async () => {
  const data = join(tmp, 'a');
  const a = startCli(['devnet', 'node', '--fast', '--port', '0', '--data', data]);
  const m = await a.waitFor(/devnet node on http:\/\/127\.0\.0\.1:(\d+)/);
  assert.ok(existsSync(join(data, LOCK_FILE)), 'lock file written');

  const b = startCli(['devnet', 'node', '--fast', '--port', '0', '--data', data]);
  const bExit = await b.exited(20_000);
  assert.equal(bExit.code, 2, b.err());
  assert.match(b.err(), new RegExp(`in use by \`zkinfer devnet node\` \\(pid ${a.proc.pid}`));

  // Another folder on the same port: a start-up error, so the process exits non-zero at once.
  const c = startCli(['devnet', 'node', '--fast', '--port', m[1]!, '--data', join(tmp, 'c')]);
  const cExit = await c.exited(20_000);
  assert.equal(cExit.code, 2);
  assert.match(c.err(), /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  assert.ok(!existsSync(join(tmp, 'c', LOCK_FILE)), 'a failed start releases its lock');

  a.proc.kill('SIGTERM');
  const aExit = await a.exited(10_000);
  assert.equal(aExit.code, 0, a.err());
  assert.match(a.out(), /devnet node stopped; state saved/);
  assert.ok(!existsSync(join(data, LOCK_FILE)), 'lock removed on a clean stop');
});

// Single-signal cases use SIGTERM: under tsx (tests from source) its loader re-raises a lone SIGINT.
test('a lock left by a dead process is taken over with a notice; SIGTERM stops the node', async () => {
  const data = join(tmp, 'stale');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  rmSync(data, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', data]);
  writeFileSync(join(data, LOCK_FILE), JSON.stringify({ pid: deadPid, command: 'devnet node', since: new Date().toISOString() }));
  const a = startCli(['devnet', 'node', '--fast', '--port', '0', '--data', data]);
  await a.waitFor(/devnet node on/);
  assert.match(a.err(), new RegExp(`taking over the lock of .* from pid ${deadPid}, which is no longer running`));
  await new Promise((r) => setTimeout(r, 500)); // a loaded machine may deliver the line before the handler runs
  a.proc.kill('SIGTERM');
  const r = await a.exited(10_000);
  assert.equal(r.code, 0, a.out() + a.err());
});

/** Run hang-on-stop (a process whose stop never ends); resolves with its exit code after `signals`. */
async function hangOnStop(signals: number, env: Record<string, string> = {}): Promise<{ code: number | null; err: string }> {
  const script = fileURLToPath(new URL(`./hang-on-stop.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));
  const p = spawn(process.execPath, [...CLI_NODE_ARGS.slice(0, -1), script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  let sent = 0;
  const exit = new Promise<number | null>((resolve) => p.on('exit', (c) => resolve(c)));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if ((sent === 0 && out.includes('ready')) || (sent === 1 && out.includes('stopping') && signals > 1)) {
      sent += 1;
      const signal = sent === 1 ? 'SIGTERM' : 'SIGINT';
      setTimeout(() => p.kill(signal), 300);
    }
  });
  return { code: await exit, err };
}

test('a second signal forces the exit while a graceful stop hangs', async () => {
  const r = await hangOnStop(2);
  assert.equal(r.code, 130, r.err);
  assert.match(r.err, /SIGTERM: stopping[\s\S]*SIGINT again: exiting now/);
});

test('a graceful stop that outlives the grace period exits non-zero on its own', async () => {
  const r = await hangOnStop(1, { GRACE_MS: '500' });
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /still stopping after 0.5 s: exiting now/);
});
