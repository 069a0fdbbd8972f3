// Every server survives any input (docs/network.md, "Servers survive bad input"): oversized and malformed
// WebSocket frames and HTTP bodies get the protocol's error, and the server keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { MAX_BODY_BYTES, serveDevnet } from '../../src/chain/rpc/server.js';
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
