/**
 * `zkinfer eth node` as a process (docs/eth.md, "The dev node"; docs/network.md, "Stopping"): SIGHUP and a second
 * Ctrl-C, anvil never outliving it (kill -9 included, --state saved), a busy port and a bad flag at start-up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, http } from 'viem';
import { packageDir } from '../../src/eth/project.js';
import { startCli, type Running } from '../lifecycle/spawn-cli.js';

const dir = join(packageDir(), '.cache', 'eth-test', `node-lifecycle-${process.pid}`);

async function startNode(extra: string[] = []): Promise<{ node: Running; rpc: string; anvilPid: number }> {
  const node = startCli(['eth', 'node', '--port', '0', ...extra]);
  const rpc = (await node.waitFor(/^rpc (http:\/\/127\.0\.0\.1:\d+)$/m))[1]!;
  await node.waitFor(/^next: /m);
  // the node's one child is anvil (the watcher shell execs it)
  const anvilPid = Number(execFileSync('ps', ['-o', 'pid=', '--ppid', String(node.proc.pid)], { encoding: 'utf8' }).trim());
  assert.ok(anvilPid > 0);
  return { node, rpc, anvilPid };
}

const answers = (rpc: string) => createPublicClient({ transport: http(rpc, { retryCount: 0, timeout: 2_000 }) }).getChainId().then(() => true, () => false);

/** Whether a process runs (or is stopped): false once it is gone or a zombie. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Wait (up to 20 s) until anvil's process is gone; false if it still runs then. */
async function goneWithin20s(pid: number): Promise<boolean> {
  for (let i = 0; i < 80 && running(pid); i++) await new Promise((r) => setTimeout(r, 250));
  return !running(pid);
}

test('SIGHUP (the terminal closing) stops eth node gracefully, anvil included', async () => {
  const { node, rpc, anvilPid } = await startNode();
  node.proc.kill('SIGHUP');
  const { code } = await node.exited();
  assert.equal(code, 0, node.err());
  assert.match(node.out(), /^anvil stopped$/m);
  assert.equal(running(anvilPid), false, 'anvil is gone');
  assert.equal(await answers(rpc), false);
});

test('a second Ctrl-C forces eth node out (130) while anvil hangs in its stop, and takes anvil with it', async () => {
  const { node, anvilPid } = await startNode();
  try {
    process.kill(anvilPid, 'SIGSTOP'); // anvil cannot act on the first stop
    node.proc.kill('SIGINT');
    await node.waitFor(/SIGINT: stopping/);
    node.proc.kill('SIGINT');
    const { code } = await node.exited();
    assert.equal(code, 130, node.err());
    assert.ok(await goneWithin20s(anvilPid), 'anvil was killed with the forced exit');
  } finally {
    if (running(anvilPid)) process.kill(anvilPid, 'SIGKILL'); // a failure leaves no stopped anvil behind
  }
});

test('kill -9 of eth node: anvil stops too and saves --state', async () => {
  mkdirSync(dir, { recursive: true });
  const state = join(dir, 'state.json');
  rmSync(state, { force: true });
  const { node, rpc, anvilPid } = await startNode(['--state', state]);
  try {
    node.proc.kill('SIGKILL');
    await node.exited();
    assert.ok(await goneWithin20s(anvilPid), 'anvil outlived the killed eth node');
    assert.equal(await answers(rpc), false);
    assert.ok(existsSync(state), 'anvil saved its state on the way out');
  } finally {
    if (running(anvilPid)) process.kill(anvilPid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eth node start-up errors: a busy port and a bad --block-time exit 2 at once, naming the flag', async () => {
  const { node, rpc } = await startNode();
  try {
    const port = new URL(rpc).port;
    const busy = startCli(['eth', 'node', '--port', port]);
    assert.equal((await busy.exited()).code, 2);
    assert.match(busy.err(), new RegExp(`^error: cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\): the port is already in use`, 'm'));
    assert.match(busy.err(), /--port/);
    for (const bad of ['abc', '-1', '0.5', '0', '']) {
      const r = startCli(['eth', 'node', '--port', '0', '--block-time', bad]);
      const { code } = await r.exited().catch((e: Error) => (r.proc.kill('SIGKILL'), Promise.reject(e))); // a node that started goes
      assert.equal(code, 2, `--block-time ${bad}: ${r.out()}`);
      assert.match(r.err(), /^error: --block-time must be an integer in 1\.\.86400, got "/m);
    }
  } finally {
    node.proc.kill('SIGINT');
    await node.exited();
  }
});
