// Every server survives any input (docs/network.md, "Servers survive bad input"): oversized and malformed
// WebSocket frames and HTTP bodies get the protocol's error, clients that vanish mid-request or stop reading cost
// only their own connection, and the server keeps serving. A crash here fails the test file (uncaught error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { MAX_BODY_BYTES, MAX_SUBSCRIPTIONS_PER_CONNECTION, sendOrDrop, serveDevnet } from '../../src/chain/rpc/server.js';
import { startApi } from '../api/harness.js';

/** Open a WebSocket, send `frames`, and collect the replies until the socket closes or `settleMs` passes. */
function exchange(url: string, frames: Array<string | Buffer>, settleMs = 400): Promise<{ replies: string[]; closeCode: number | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const replies: string[] = [];
    let closeCode: number | undefined;
    ws.on('error', () => undefined); // the server may cut us off: that is the point
    ws.on('message', (d) => replies.push(d.toString()));
    ws.on('open', () => {
      for (const f of frames) ws.send(f, { binary: Buffer.isBuffer(f) });
      setTimeout(() => { ws.terminate(); }, settleMs);
    });
    ws.on('close', (code) => { closeCode ??= code; resolve({ replies, closeCode }); });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
  });
}

test('validator API /rpc: an oversized frame closes that socket with 1009; malformed frames get JSON-RPC errors; the API keeps serving', async () => {
  const h = await startApi({ config: { auth: { mode: 'open' } } });
  try {
    const wsUrl = h.url.replace(/^http/, 'ws') + '/rpc';
    const big = await exchange(wsUrl, ['x'.repeat(70 * 1024)]);
    assert.equal(big.closeCode, 1009, 'message too big');
    const bad = await exchange(wsUrl, ['{not json', '{"jsonrpc":"2.0"}', Buffer.from([0xff, 0x00]), '{"jsonrpc":"2.0","id":1,"method":"nope","params":{}}']);
    const codes = bad.replies.map((r) => (JSON.parse(r) as { error: { code: number } }).error.code);
    assert.deepEqual(codes, [-32700, -32600, -32600, -32601]);
    const health = await fetch(`${h.url}/v1/health`).catch(() => fetch(`${h.url}/health`));
    assert.ok(health.status < 500, `API still answers HTTP (${health.status})`);
    const again = await exchange(wsUrl, ['{not json']);
    assert.equal(again.replies.length, 1, 'a new WebSocket is still served');
  } finally {
    await h.close();
  }
});

test('validator API: a request that does not finish arriving within requestTimeoutS gets 408 and its connection is closed', async () => {
  const h = await startApi({ config: { auth: { mode: 'open' }, requestTimeoutS: 1 } });
  try {
    const port = Number(new URL(h.url).port);
    const got = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('POST /v1/inferences HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n{"circuit'));
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      s.on('error', () => undefined);
      const timer = setTimeout(() => { s.destroy(); reject(new Error(`the API kept a half-sent request open for 15 s (got ${JSON.stringify(text)})`)); }, 15_000);
      s.on('close', () => { clearTimeout(timer); resolve(text); });
    });
    assert.match(got, /^HTTP\/1\.1 408 /);
    const health = await fetch(`${h.url}/healthz`);
    assert.equal(health.status, 200, 'still serving');
  } finally {
    await h.close();
  }
});

test('devnet RPC: oversized WebSocket frame and HTTP body, malformed JSON — the node keeps serving', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkinfer-rpc-survive-'));
  const dev = await Devnet.open({ dataDir: dir, fast: true });
  const server = await serveDevnet(dev, { port: 0 });
  try {
    const big = await exchange(server.wsUrl, ['x'.repeat(MAX_BODY_BYTES + 1024)]);
    assert.equal(big.closeCode, 1009);
    const bad = await exchange(server.wsUrl, ['{not json', Buffer.from([1, 2, 3])]);
    assert.equal(bad.replies.length, 2);
    for (const r of bad.replies) assert.equal((JSON.parse(r) as { error: { code: number } }).error.code, -32700);
    const tooLarge = await fetch(server.url, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1024), headers: { 'content-type': 'application/json' } }).catch((e: Error) => e);
    if (!(tooLarge instanceof Error)) assert.equal(tooLarge.status, 413);
    const notJson = await fetch(server.url, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    assert.equal(((await notJson.json()) as { error: { code: number } }).error.code, -32700);
    const ok = await fetch(server.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_currentBlock' }), headers: { 'content-type': 'application/json' } });
    assert.equal(typeof ((await ok.json()) as { result: unknown }).result, 'number', 'still serving calls');
  } finally {
    await server.close();
    await dev.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Open a TCP connection, write `text`, then after `delayMs` reset it (RST) or end it; resolves once it is gone. */
function sendAndVanish(port: number, text: string, delayMs: number, how: 'reset' | 'destroy'): Promise<void> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => {
      sock.write(text);
      setTimeout(() => (how === 'reset' ? sock.resetAndDestroy() : sock.destroy()), delayMs);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => resolve());
  });
}

test('validator API /rpc: clients that reset the connection during the upgrade (refused, unauthenticated) do not crash the process', async () => {
  const h = await startApi(); // signed mode: an unsigned upgrade is refused with 401 on the raw socket
  try {
    const port = Number(new URL(h.url).port);
    const upgrade = `GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    for (let i = 0; i < 40; i++) await sendAndVanish(port, upgrade, i % 4, 'reset');
    await new Promise((r) => setTimeout(r, 100)); // errors from the last resets, if any, land now
    const refused = await fetch(`${h.url}/v1/inferences`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(refused.status, 401, 'the API still answers (and still asks for a signature)');
  } finally {
    await h.close();
  }
});

test('devnet RPC: a client that goes away mid-body costs only its request; subscriptions per connection are capped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkinfer-rpc-vanish-'));
  const dev = await Devnet.open({ dataDir: dir, fast: true });
  const server = await serveDevnet(dev, { port: 0 });
  const call = async (method: string) =>
    ((await (await fetch(server.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method }), headers: { 'content-type': 'application/json' } })).json()) as { result: unknown });
  try {
    const half = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"';
    for (const how of ['destroy', 'reset'] as const) for (let i = 0; i < 5; i++) await sendAndVanish(server.port, half, i * 2, how);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(typeof (await call('chain_currentBlock')).result, 'number', 'still serving after aborted bodies');

    // subscriptions per connection are capped
    const subs = await exchange(server.wsUrl, Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION + 4 }, (_, i) => JSON.stringify({ jsonrpc: '2.0', id: i, method: 'chain_subscribeBlocks' })), 300);
    const answers = subs.replies.map((r) => JSON.parse(r) as { id?: number; result?: string; error?: { code: number; message: string } }).filter((m) => m.id !== undefined);
    assert.equal(answers.filter((m) => typeof m.result === 'string').length, MAX_SUBSCRIPTIONS_PER_CONNECTION);
    const over = answers.filter((m) => m.error);
    assert.equal(over.length, 4);
    assert.match(over[0]!.error!.message, /at most 16 block subscriptions per connection/);

    assert.equal(typeof (await call('chain_currentBlock')).result, 'number', 'still serving');
  } finally {
    await server.close();
    await dev.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('devnet RPC: a WebSocket client that lets more than the limit pile up unread is dropped, not sent more', () => {
  const sent: string[] = [];
  let terminated = 0;
  const ws = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (t: string) => void sent.push(t), terminate: () => void terminated++ } as unknown as Parameters<typeof sendOrDrop>[0];
  sendOrDrop(ws, 'a', 1024);
  (ws as { bufferedAmount: number }).bufferedAmount = 1024;
  sendOrDrop(ws, 'b', 1024); // at the limit: still sent
  (ws as { bufferedAmount: number }).bufferedAmount = 1025;
  sendOrDrop(ws, 'c', 1024);
  assert.deepEqual([sent, terminated], [['a', 'b'], 1]);
  (ws as { readyState: number }).readyState = 3;
  sendOrDrop(ws, 'd', 1024);
  assert.deepEqual([sent, terminated], [['a', 'b'], 1], 'nothing is sent to a closed socket');
});
