// Process lifecycle with real child processes (docs/network.md, "One process per data folder" and
// "Stopping"): one owner per data folder or validator database, stale locks taken over, one SIGTERM/SIGINT
// stops cleanly within 10 s with state kept (half-sent requests cannot hold it up), a second signal forces,
// and start-up errors exit non-zero at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE, lockPathOf } from '../../src/lifecycle/lock.js';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { serveDevnet, type DevnetServer } from '../../src/chain/rpc/server.js';
import { taoToRao } from '../../src/chain/types.js';
import { Wallet } from '../../src/protocol/wallet/wallet.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { freePort } from '../fleet/redis-harness.js';
import { CLI_NODE_ARGS, startCli } from './spawn-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'zkinfer-lifecycle-'));
let net1: { devnet: Devnet; rpc: DevnetServer; wallets: string; circuit: string } | undefined;
test.after(async () => {
  await net1?.rpc.close();
  await net1?.devnet.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A devnet served over JSON-RPC with `owner/validator` and `owner/miner` registered on subnet 1, and the affine circuit. */
async function network(): Promise<NonNullable<typeof net1>> {
  if (net1) return net1;
  const devnet = await Devnet.open({ fast: true });
  const rpc = await serveDevnet(devnet, { port: 0 });
  devnet.start();
  const wallets = join(tmp, 'wallets');
  const w = new Wallet({ path: wallets, name: 'owner', hotkey: 'validator' });
  await w.createColdkey(null);
  w.createHotkey('validator');
  w.createHotkey('miner');
  const cold = await w.coldkeyPair();
  await devnet.faucet(cold.address, taoToRao(100));
  await devnet.burnedRegister(1, cold, w.hotkeyPair('validator').address);
  await devnet.burnedRegister(1, cold, w.hotkeyPair('miner').address);
  net1 = { devnet, rpc, wallets, circuit: (await fixtureArtifacts('affine', 'affine-lifecycle')).dir };
  return net1;
}

/** Open a connection and send `text`, never the rest of the request; resolves once connected. */
async function halfSent(port: number, text: string): Promise<net.Socket> {
  const s = net.connect(port, '127.0.0.1');
  s.on('error', () => undefined);
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write(text);
  return s;
}
const halfBody = (path: string): string => `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n{"circuit"`;

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

test('devnet node: SIGHUP (the terminal closing) stops it as gracefully as SIGTERM: exit 0, state saved, lock removed', async () => {
  const data = join(tmp, 'hup');
  const a = startCli(['devnet', 'node', '--fast', '--port', '0', '--data', data]);
  await a.waitFor(/devnet node on/);
  a.proc.kill('SIGHUP');
  const r = await a.exited(10_000);
  assert.equal(r.code, 0, `${String(r.signal)} ${a.out()}${a.err()}`);
  assert.match(a.out(), /devnet node stopped; state saved/);
  assert.ok(!existsSync(join(data, LOCK_FILE)), 'lock removed');
});

test('devnet up: a signal during start-up exits at once (130) and releases the --data lock', async () => {
  const data = join(tmp, 'up-startup');
  const a = startCli(['devnet', 'up', '--fast', '--miners', '1', '--data', data, '--rpc-port', '0', '--api-port', '0']);
  await a.waitFor(/compiling staking-lstm/);
  assert.ok(existsSync(join(data, LOCK_FILE)), 'the lock is taken before the compile');
  a.proc.kill('SIGTERM');
  const r = await a.exited(10_000);
  assert.equal(r.code, 130, `${String(r.signal)} ${a.out()}${a.err()}`);
  assert.match(a.out(), /SIGTERM during start-up: exiting now/);
  assert.ok(!existsSync(join(data, LOCK_FILE)), 'lock released: the next start takes no stale lock over');
});

test('a lock whose owner has exited but is not reaped yet (a zombie) is taken over with a notice', async () => {
  const data = join(tmp, 'zombie');
  rmSync(data, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', data]);
  // The inner sh exits at once; its parent exec's sleep, which never reaps it: a zombie for 30 s that signal 0 still reaches.
  const parent = spawn('sh', ['-c', 'sh -c "exit 0" & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const zombiePid = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
  try {
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(data, LOCK_FILE), JSON.stringify({ pid: zombiePid, command: 'devnet node', since: new Date().toISOString() }));
    const a = startCli(['devnet', 'node', '--fast', '--port', '0', '--data', data]);
    await a.waitFor(/devnet node on/);
    assert.match(a.err(), new RegExp(`taking over the lock of .* from pid ${zombiePid}, which is no longer running`));
    a.proc.kill('SIGTERM');
    assert.equal((await a.exited(10_000)).code, 0, a.out() + a.err());
  } finally {
    parent.kill('SIGKILL');
  }
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

test('validator: a second process on the same --db is refused while the first keeps running; half-sent API requests do not keep SIGTERM from a clean stop', async () => {
  const n = await network();
  const db = join(tmp, 'validator', 'v.sqlite');
  const flags = ['--wallet.name', 'owner', '--wallet.hotkey', 'validator', '--wallet.path', n.wallets, '--network', n.rpc.url, '--netuid', '1',
    '--circuit', n.circuit, '--allow-insecure-dev', '--db', db, '--api-port', '0', '--api-open'];
  const a = startCli(['validator', ...flags]);
  const url = (await a.waitFor(/validator API and dashboard on (http:\/\/[\d.:]+)\//, 120_000))[1]!;
  assert.ok(existsSync(lockPathOf(db)), 'lock file beside the database');

  const b = startCli(['validator', ...flags]);
  const bExit = await b.exited(60_000);
  assert.equal(bExit.code, 2, b.out() + b.err());
  assert.match(b.err(), new RegExp(`in use by \`zkinfer validator\` \\(pid ${a.proc.pid}`));
  assert.equal(a.proc.exitCode, null, 'the first validator keeps running');
  assert.equal((await fetch(`${url}/healthz`)).status, 200, 'and keeps serving (this fetch leaves a kept-alive connection)');

  // Unauthenticated, half-sent: a body that never ends, and headers that never end.
  const port = Number(new URL(url).port);
  const open = [await halfSent(port, halfBody('/v1/inferences')), await halfSent(port, 'POST /v1/inferences HTTP/1.1\r\nhost: x\r\n')];
  await new Promise((r) => setTimeout(r, 300));
  a.proc.kill('SIGTERM');
  const aExit = await a.exited(10_000);
  assert.equal(aExit.code, 0, a.out() + a.err());
  assert.match(a.out(), /validator stopped; state saved in /, 'validator.stop() ran and the database was closed');
  assert.ok(!existsSync(lockPathOf(db)), 'lock removed on a clean stop');
  for (const s of open) s.destroy();
});

test('miner: half-sent requests (a refused body that never ends, headers that never end) do not keep SIGTERM from a clean stop', async () => {
  const n = await network();
  const port = await freePort();
  const m = startCli(['miner', '--wallet.name', 'owner', '--wallet.hotkey', 'miner', '--wallet.path', n.wallets, '--network', n.rpc.url, '--netuid', '1',
    '--port', String(port), '--circuit', n.circuit, '--prover', 'snarkjs']);
  await m.waitFor(/miner \S+ on 127\.0\.0\.1:\d+/, 120_000);
  const open = [await halfSent(port, halfBody('/QueryZkProof')), await halfSent(port, 'POST /QueryZkProof HTTP/1.1\r\nhost: x\r\n')];
  await new Promise((r) => setTimeout(r, 300));
  m.proc.kill('SIGTERM');
  const r = await m.exited(10_000);
  assert.equal(r.code, 0, m.out() + m.err());
  assert.match(m.out(), /stopped: \d+ proofs served/);
  for (const s of open) s.destroy();
});

test('miner: an axon port in use is a start-up error (exit 2, the port and the flag named), not an unexpected failure', async () => {
  const n = await network();
  const busy = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => busy.once('listening', r));
  const port = (busy.address() as net.AddressInfo).port;
  const m = startCli(['miner', '--wallet.name', 'owner', '--wallet.hotkey', 'miner', '--wallet.path', n.wallets, '--network', n.rpc.url, '--netuid', '1',
    '--port', String(port), '--circuit', n.circuit, '--prover', 'snarkjs']);
  const r = await m.exited(60_000);
  busy.close();
  assert.equal(r.code, 2, m.out() + m.err());
  assert.match(m.err(), new RegExp(`error: cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)[^\\n]*\\n\\s*→ [^\\n]*--port`));
});

test('validator: a chain that stops answering is one log line, and one when it is back; the validator keeps running', async () => {
  // its own chain, served and then taken away (every connection refused) while the validator runs
  const devnet = await Devnet.open({ fast: true });
  let rpc = await serveDevnet(devnet, { port: 0 });
  devnet.start();
  const n = await network();
  const w = new Wallet({ path: n.wallets, name: 'owner', hotkey: 'validator' });
  const cold = await w.coldkeyPair();
  await devnet.faucet(cold.address, taoToRao(100));
  await devnet.burnedRegister(1, cold, w.hotkeyPair('validator').address);
  const v = startCli(['validator', '--wallet.name', 'owner', '--wallet.hotkey', 'validator', '--wallet.path', n.wallets, '--network', rpc.url,
    '--netuid', '1', '--circuit', n.circuit, '--allow-insecure-dev', '--db', join(tmp, 'outage', 'v.sqlite'), '--api-port', '0']);
  try {
    await v.waitFor(/validator API and dashboard on /, 120_000);
    const port = rpc.port;
    // as a killed node: no block after it (a block that reached the validator while the server closed would be
    // logged by the block sync, not by the watch this test is about)
    devnet.stop();
    await new Promise((r) => setTimeout(r, 1000)); // the last block's sync done (blocks are 250 ms apart)
    await rpc.close();
    await v.waitFor(/validator: the chain does not answer \(.*\); no block for \d+ s: scores kept/, 60_000);
    assert.equal(v.proc.exitCode, null, 'the validator keeps running');
    rpc = await serveDevnet(devnet, { port });
    devnet.start();
    await v.waitFor(/validator: chain reads work again at block \d+/, 60_000);
    assert.equal((v.out() + v.err()).match(/the chain does not answer/g)?.length, 1, 'one line for the outage, not one per check');
  } finally {
    v.proc.kill('SIGTERM');
    await v.exited(15_000).catch(() => v.proc.kill('SIGKILL'));
    await rpc.close();
    await devnet.close();
  }
});
