// Property-based fuzzing (fast-check) of the WebSocket servers at zkinfer's trust boundaries (docs/security.md):
// the validator API's `/rpc` and the devnet node's JSON-RPC. Raw bytes after a real upgrade (random, or frames
// with random opcodes, flags, lengths and masks) exercise ws's frame parser and our handlers; random text frames
// exercise the JSON-RPC parsing. Every input gets a JSON-RPC error, a close, or a result — the server never
// crashes or hangs: after each input a fresh connection is answered within 3 s. A failure prints fast-check's
// seed and path (`FUZZ_SEED=N` replays a run).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { serveDevnet, type DevnetServer } from '../../src/chain/rpc/server.js';
import { startApi, type Harness } from '../api/harness.js';

const seed = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : Date.now() % 2 ** 31;
const RUNS = { numRuns: 40, seed };
console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);

let api: Harness;
let devnet: Devnet;
let node: DevnetServer;
let tmp: string;
before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'zkinfer-fuzz-ws-'));
  api = await startApi({ config: { auth: { mode: 'open' } } });
  devnet = await Devnet.open({ dataDir: tmp, fast: true });
  node = await serveDevnet(devnet, { port: 0 });
});
after(async () => {
  await api.close();
  await node.close();
  await devnet.close();
  rmSync(tmp, { recursive: true, force: true });
});

const targets = (): Array<{ name: string; url: string }> => [
  { name: 'API /rpc', url: api.url.replace(/^http/, 'ws') + '/rpc' },
  { name: 'devnet RPC', url: node.wsUrl },
];

/** Upgrade a raw TCP connection to WebSocket, write `bytes`, and wait until the server closes it or 150 ms pass. */
function rawExchange(wsUrl: string, bytes: Uint8Array): Promise<void> {
  const u = new URL(wsUrl);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(u.port), u.hostname);
    let upgraded = false;
    let head = '';
    const timer = setTimeout(() => { sock.destroy(); resolve(); }, 2000);
    sock.on('error', () => undefined); // a reset by the server is an answer
    sock.on('close', () => { clearTimeout(timer); if (upgraded) resolve(); else reject(new Error(`no upgrade: ${head.slice(0, 80)}`)); });
    sock.on('data', (d: Buffer) => {
      if (upgraded) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      if (!head.startsWith('HTTP/1.1 101')) { sock.destroy(); return; }
      upgraded = true;
      sock.write(bytes);
      setTimeout(() => sock.destroy(), 150);
    });
    sock.write(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  });
}

/** Send text frames on a fresh WebSocket; resolves with the replies received within `ms` (or at close). */
function textExchange(wsUrl: string, frames: string[], ms = 3000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    const replies: string[] = [];
    const timer = setTimeout(() => { ws.terminate(); resolve(replies); }, ms);
    ws.on('error', () => undefined);
    ws.on('message', (d) => { replies.push(d.toString()); if (replies.length >= frames.length) { clearTimeout(timer); ws.close(); resolve(replies); } });
    ws.on('close', () => { clearTimeout(timer); resolve(replies); });
    ws.on('open', () => { for (const f of frames) ws.send(f); });
    ws.on('unexpected-response', (_q, res) => { clearTimeout(timer); reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)); });
  });
}

/** The server still serves: a malformed JSON frame on a new connection gets its parse error back. */
async function stillServes(url: string): Promise<void> {
  const r = await textExchange(url, ['{'], 3000);
  assert.equal(r.length, 1, `${url} did not answer a fresh connection`);
  assert.equal((JSON.parse(r[0]!) as { error?: { code: number } }).error?.code, -32700);
}

/** A WebSocket frame with arbitrary header bits, length encoding, mask and payload (RFC 6455 §5.2 layout). */
const frameArb = fc.record({
  fin: fc.boolean(), rsv: fc.integer({ min: 0, max: 7 }), opcode: fc.integer({ min: 0, max: 15 }), masked: fc.boolean(),
  lenMode: fc.constantFrom('exact', 'short-lie', '16', '64', '64-huge'), lie: fc.integer({ min: 0, max: 125 }),
  mask: fc.uint8Array({ minLength: 4, maxLength: 4 }), payload: fc.uint8Array({ maxLength: 96 }),
}).map((f) => {
  const len = f.payload.length;
  const head = [(f.fin ? 0x80 : 0) | (f.rsv << 4) | f.opcode];
  const m = f.masked ? 0x80 : 0;
  if (f.lenMode === 'exact') head.push(m | Math.min(len, 125));
  else if (f.lenMode === 'short-lie') head.push(m | f.lie);
  else if (f.lenMode === '16') head.push(m | 126, len >> 8, len & 0xff);
  else if (f.lenMode === '64') head.push(m | 127, 0, 0, 0, 0, 0, 0, len >> 8, len & 0xff);
  else head.push(m | 127, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff); // 2^64 − 1: over any limit
  const body = Uint8Array.from(f.payload, (b, i) => (f.masked ? b ^ f.mask[i % 4]! : b));
  return Uint8Array.from([...head, ...(f.masked ? f.mask : []), ...body]);
});

const bytesArb = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  frameArb,
  fc.array(frameArb, { minLength: 2, maxLength: 4 }).map((fs) => Uint8Array.from(fs.flatMap((x) => [...x]))),
);

test('fuzz: raw WebSocket bytes (random, or frames with any opcode/flags/length/mask) never crash or hang a server', async () => {
  for (const t of targets()) {
    await fc.assert(fc.asyncProperty(bytesArb, async (bytes) => {
      await rawExchange(t.url, bytes);
    }), RUNS);
    await stillServes(t.url);
  }
});

test('fuzz: text frames (any JSON, any string, near-valid requests) get a JSON-RPC error or result, and the server keeps serving', async () => {
  const request = fc.record({
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue()), id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue()),
    method: fc.oneof(fc.constantFrom('proof_of_computation', 'proof_of_weights', 'chain_getBlockNumber', 'chain_metagraph', 'system_health'), fc.string()),
    params: fc.oneof(fc.jsonValue(), fc.record({ circuit: fc.string(), input: fc.jsonValue() })),
  }, { requiredKeys: [] });
  const text = fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), request.map((r) => JSON.stringify(r)));
  for (const t of targets()) {
    await fc.assert(fc.asyncProperty(text, async (frame) => {
      const replies = await textExchange(t.url, [frame], 3000);
      // a request that starts a job may answer later (its result); anything answered now is well-formed JSON-RPC
      for (const r of replies) {
        const m = JSON.parse(r) as { jsonrpc?: string; error?: { code: unknown; message: unknown }; result?: unknown };
        assert.equal(m.jsonrpc, '2.0', r);
        assert.ok(m.error === undefined ? 'result' in m : typeof m.error.code === 'number' && typeof m.error.message === 'string', r);
      }
    }), { ...RUNS, numRuns: 30 });
    await stillServes(t.url);
  }
});
