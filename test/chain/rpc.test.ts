import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { serveDevnet } from '../../src/chain/rpc/server.js';
import { RpcChain } from '../../src/chain/rpc/client.js';
import * as E from '../../src/chain/errors.js';
import { taoToRao } from '../../src/chain/types.js';
import { runNode } from '../lifecycle/spawn-cli.js';

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const cold = keyring.addFromUri('//Alice');
const v0 = keyring.addFromUri('//Alice//v0');
const m0 = keyring.addFromUri('//Alice//m0');

/** The devnet CLI entry, compiled (.js under dist) or from source under tsx (.ts). */
const fromSource = import.meta.url.endsWith('.ts');
const entry = fileURLToPath(new URL(`../../src/cli/devnet-entry.${fromSource ? 'ts' : 'js'}`, import.meta.url));
const nodeArgs = fromSource ? ['--import', 'tsx', entry] : [entry];

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode([...nodeArgs, ...args], { env });
}

/** Spawn `devnet node` on a free port (--fast with 100 ms blocks: the test waits out an epoch); resolves with its URL once it prints it. */
function startNode(dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeArgs, 'devnet', 'node', '--fast', '--block-time', '100', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /devnet node on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => reject(new Error(`devnet node exited (${code}) before listening: ${err}`)));
  });
}

function stopNode(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.removeAllListeners('exit');
    proc.on('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}

/** Wait until `pred` holds at some block (bounded by a block count, not by time). */
async function untilBlock(chain: RpcChain, maxBlocks: number, pred: () => Promise<boolean>): Promise<void> {
  const start = await chain.currentBlock();
  for (;;) {
    if (await pred()) return;
    const b = await new Promise<number>((resolve) => {
      const off = chain.onBlock((n) => { off(); resolve(n); });
    });
    assert.ok(b - start <= maxBlocks, `condition not met within ${maxBlocks} blocks`);
  }
}

test('RPC client: same answers as in-process, typed errors, block notifications, bad input', async () => {
  const dev = await Devnet.open({ hyperparameters: { tempo: 10, weightsRateLimit: 3 } });
  const server = await serveDevnet(dev);
  const chain = await RpcChain.connect(server.url);
  try {
    assert.equal(chain.genesis, dev.genesis);
    await chain.faucet(cold.address, taoToRao(100));
    assert.equal(await chain.balance(cold.address), taoToRao(100));
    const r = await chain.burnedRegister(1, cold, v0.address);
    assert.equal(r.uid, 0);
    await chain.burnedRegister(1, cold, m0.address);
    await chain.addStake(cold, v0.address, taoToRao(10));
    await chain.commit(m0, 1, 'hello');
    assert.deepEqual(await chain.metagraph(1), await dev.metagraph(1));
    assert.deepEqual(await chain.hyperparameters(1), await dev.hyperparameters(1));
    assert.deepEqual(await chain.commitments(1), await dev.commitments(1));
    assert.equal(await chain.uidOf(1, m0.address), 1);
    assert.equal(await chain.uidOf(1, cold.address), undefined);
    assert.deepEqual(await chain.subnets(), [1]);
    const net2 = await chain.createSubnet(cold.address, { tempo: 99, burn: 5n });
    assert.equal((await chain.hyperparameters(net2)).burn, 5n);

    // Typed errors survive the wire as the same classes.
    dev.produceBlock();
    await chain.setWeights(v0, { netuid: 1, uids: [1], weights: [1], versionKey: 0 });
    await assert.rejects(chain.setWeights(v0, { netuid: 1, uids: [1], weights: [1], versionKey: 0 }), E.WeightsRateLimitError);
    await assert.rejects(chain.burnedRegister(1, cold, m0.address), E.AlreadyRegisteredError);
    await assert.rejects(chain.metagraph(42), E.SubnetNotFoundError);

    // Block notifications over WebSocket.
    const seen: number[] = [];
    const got3 = new Promise<void>((resolve) => {
      const off = chain.onBlock((b) => { seen.push(b); if (seen.length === 3) { off(); resolve(); } });
    });
    // Produce blocks until the subscription has delivered three (the socket opens asynchronously).
    let done = false;
    void got3.then(() => (done = true));
    for (let i = 0; !done; i++) {
      assert.ok(i < 5000, 'block notifications never arrived');
      dev.produceBlock();
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(seen[1], seen[0]! + 1);
    assert.equal(seen[2], seen[0]! + 2);

    // Garbage in → JSON-RPC errors, and the server keeps serving.
    const post = async (body: string) => (await fetch(server.url, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).json() as Promise<{ error?: { code: number; message: string } }>;
    assert.equal((await post('{not json')).error?.code, -32700);
    assert.equal((await post('[1,2]')).error?.code, -32600);
    assert.equal((await post('{"jsonrpc":"2.0","id":1,"method":"nope"}')).error?.code, -32601);
    assert.equal((await post('{"jsonrpc":"2.0","id":1,"method":"chain_metagraph","params":{"netuid":"x"}}')).error?.code, -32602);
    assert.equal((await post('{"jsonrpc":"2.0","id":1,"method":"chain_submit","params":{"method":"setWeights"}}')).error?.code, -32602);
    assert.equal((await post('{"jsonrpc":"2.0","id":1,"method":"dev_faucet","params":{"coldkey":"' + cold.address + '","amount":"-5"}}')).error?.code, -32602);
    assert.equal(await chain.currentBlock(), dev.block);
  } finally {
    await chain.close();
    await server.close();
    await dev.close();
  }
});

test('unreachable node → ChainConnectionError', async () => {
  await assert.rejects(RpcChain.connect('http://127.0.0.1:1'), E.ChainConnectionError);
});

test('several processes share one devnet node; state survives a node restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkinfer-devnet-rpc-'));
  let node = await startNode(dir);
  let chain = await RpcChain.connect(node.url);
  try {
    const env = { ZKINFER_DEVNET_URL: node.url };
    // Process 2 (CLI): fund and register the validator and two miners, stake the validator.
    let r = await runCli(['devnet', 'faucet', '--coldkey-uri', '//Alice', '--amount', '100'], env);
    assert.equal(r.code, 0, r.stderr);
    for (const h of ['v0', 'm0', 'm1']) {
      r = await runCli(['devnet', 'register', '--coldkey-uri', '//Alice', '--hotkey-uri', `//Alice//${h}`], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /registered .* as uid \d/);
    }
    r = await runCli(['devnet', 'stake', 'add', '--coldkey-uri', '//Alice', '--hotkey-uri', '//Alice//v0', '--amount', '10'], env);
    assert.equal(r.code, 0, r.stderr);
    // A typed error reaches the CLI user as a readable message and exit code 2.
    r = await runCli(['devnet', 'register', '--coldkey-uri', '//Alice', '--hotkey-uri', '//Alice//m0'], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /already registered/);

    // Process 1 (this test) acts as the validator over RPC.
    const v = await chain.uidOf(1, v0.address);
    assert.equal(v, 0);
    const mg0 = await chain.metagraph(1);
    assert.equal(mg0.n, 3);
    await untilBlock(chain, 200, async () => {
      try {
        await chain.setWeights(v0, { netuid: 1, uids: [1, 2], weights: [3, 1], versionKey: 0 });
        return true;
      } catch (e) {
        if (e instanceof E.WeightsRateLimitError) return false;
        throw e;
      }
    });
    // Wait for the next epoch to have run on those weights.
    await untilBlock(chain, 200, async () => (await chain.metagraph(1)).incentive[1]! > 0);

    // Process 3 (CLI) reads the metagraph: incentive 0.75 / 0.25 to the miners, all dividends to the validator.
    r = await runCli(['devnet', 'metagraph', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const mg = JSON.parse(r.stdout) as { incentive: number[]; dividends: number[]; n: number };
    assert.equal(mg.n, 3);
    assert.ok(Math.abs(mg.incentive[1]! - 0.75) < 1e-3 && Math.abs(mg.incentive[2]! - 0.25) < 1e-3, `incentive ${mg.incentive}`);
    assert.ok(Math.abs(mg.dividends[0]! - 1) < 1e-3, `dividends ${mg.dividends}`);
    r = await runCli(['devnet', 'metagraph'], env);
    assert.match(r.stdout, /INCENTIVE\s+DIVIDENDS/);

    // Restart the node on the same data: same genesis, block keeps counting, neurons kept.
    const before = await chain.metagraph(1);
    const genesis = chain.genesis;
    await chain.close();
    assert.equal(await stopNode(node.proc), 0);
    node = await startNode(dir);
    chain = await RpcChain.connect(node.url);
    assert.equal(chain.genesis, genesis);
    const after = await chain.metagraph(1);
    assert.ok(after.block >= before.block, 'block number continues');
    assert.deepEqual(after.hotkeys, before.hotkeys);
    assert.deepEqual(after.incentive, before.incentive);
  } finally {
    await chain.close();
    await stopNode(node.proc);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('chain specs: devnet URLs vs subtensor networks', async () => {
  const { parseChainSpec, openChain } = await import('../../src/chain/open.js');
  assert.deepEqual(parseChainSpec('http://127.0.0.1:1234'), { kind: 'devnet', url: 'http://127.0.0.1:1234', network: 'devnet' });
  assert.deepEqual(parseChainSpec('devnet:http://127.0.0.1:1'), { kind: 'devnet', url: 'http://127.0.0.1:1', network: 'devnet' });
  assert.deepEqual(parseChainSpec('finney'), { kind: 'subtensor', url: 'wss://entrypoint-finney.opentensor.ai:443', network: 'finney' });
  assert.deepEqual(parseChainSpec('local', {}), { kind: 'subtensor', url: 'ws://127.0.0.1:9944', network: 'local' });
  assert.deepEqual(parseChainSpec('ws://10.0.0.1:9944'), { kind: 'subtensor', url: 'ws://10.0.0.1:9944', network: 'custom' });
  assert.throws(() => parseChainSpec('mainnet?'), /unknown network/);
  // openChain reaches a served devnet.
  const dev = await Devnet.open();
  const server = await serveDevnet(dev);
  const chain = await openChain(server.url);
  try {
    assert.equal(await chain.currentBlock(), 0);
    assert.deepEqual((await chain.metagraph(1)).uids, []);
  } finally {
    await chain.close();
    await server.close();
    await dev.close();
  }
});

test('a second node on a busy port fails with a typed error', async () => {
  const dev = await Devnet.open();
  const server = await serveDevnet(dev);
  try {
    await assert.rejects(serveDevnet(dev, { port: server.port }), /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  } finally {
    await server.close();
    await dev.close();
  }
});

test('JSON-RPC over the WebSocket: calls, subscription ids, malformed messages', async () => {
  const { default: WebSocket } = await import('ws');
  const dev = await Devnet.open();
  const server = await serveDevnet(dev);
  const ws = new WebSocket(server.wsUrl);
  const replies: Array<Record<string, unknown>> = [];
  let waiters: Array<() => void> = [];
  ws.on('message', (d) => { replies.push(JSON.parse(d.toString()) as Record<string, unknown>); for (const w of waiters) w(); waiters = []; });
  const next = async (count: number) => { while (replies.length < count) await new Promise<void>((r) => waiters.push(r)); };
  try {
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_currentBlock' }));
    await next(1);
    assert.deepEqual(replies[0], { jsonrpc: '2.0', id: 1, result: 0 });
    ws.send('not json');
    await next(2);
    assert.equal((replies[1]!['error'] as { code: number }).code, -32700);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'chain_subscribeBlocks' }));
    await next(3);
    const sub = replies[2]!['result'] as string;
    assert.match(sub, /^[0-9a-f-]{36}$/);
    dev.produceBlock();
    await next(4);
    assert.deepEqual(replies[3], { jsonrpc: '2.0', method: 'chain_block', params: { subscription: sub, result: 1 } });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'chain_unsubscribeBlocks', params: { subscription: sub } }));
    await next(5);
    assert.equal(replies[4]!['result'], true);
    // Over HTTP a subscription is refused.
    const r = await (await fetch(server.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'chain_subscribeBlocks' }) })).json() as { error: { code: number } };
    assert.equal(r.error.code, -32600);
  } finally {
    ws.terminate();
    await server.close();
    await dev.close();
  }
});
