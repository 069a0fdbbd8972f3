// The client SDK and `zkinfer query` against a hostile validator API (a tiny node http server in this file):
// what the client refuses, and that it fails with a typed error, promptly and in bounded memory (docs/security.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkinferClient, ProtocolError, RequestTimeoutError, WaitTimeoutError, readSse, verifyInference, circuitIdOfVk, type CircuitView, type InferenceView } from '../../src/client/index.js';
import { canonicalJson, CanonicalJsonDepthError } from '../../src/zkml/format/canonical-json.js';
import { printable } from '../../src/client/printable.js';
import { startCli } from '../lifecycle/spawn-cli.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
interface Hostile { url: string; seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[]; handle: Handler; close(): Promise<void> }

async function hostile(): Promise<Hostile> {
  const h: Hostile = { url: '', seen: [], handle: (_q, res) => void res.writeHead(404).end(), close: async () => undefined };
  const server = http.createServer((req, res) => {
    h.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    h.handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  h.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return h;
}

const CID = 'ab'.repeat(32);
const json = (res: http.ServerResponse, code: number, body: unknown): void => void res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const view = (id: string, extra: Partial<InferenceView> = {}): InferenceView => ({ id, circuit_id: CID, source: 'external', status: 'verified', input: {}, output: { y: [1] }, timings: { submitted_at: 1 }, ...extra });
const submitted = { id: 'inf-1', status: 'queued', circuit_id: CID, links: { self: '/v1/inferences/inf-1', events: '/v1/inferences/inf-1/events' } };
const circuit: CircuitView = {
  id: CID, name: 'c', aliases: [], security: 'test', constraints: 1, inputs: [{ name: 'x', shape: [1], scale_bits: 0 }], outputs: [{ name: 'y', shape: [1], scale_bits: 0 }],
  input_schema: {}, public_layout: { outputs: [{ name: 'y', offset: 0, length: 1 }], inputs: [{ name: 'x', offset: 1, length: 1 }], total: 2 }, links: { vk: '', verifier_sol: '' },
};
const proof = { pi_a: ['1', '2', '1'], pi_b: [['1', '2'], ['3', '4'], ['1', '0']], pi_c: ['1', '2', '1'], protocol: 'groth16' as const, curve: 'bn128' as const };
const deep = (n: number): unknown => { let v: unknown = []; for (let i = 0; i < n; i++) v = [v]; return v; };
/** A handler that answers a submit with inf-1, an SSE stream that says `verified`, and GET inf-1 with `get`. */
const api = (get: Handler): Handler => (req, res) => {
  if (req.method === 'POST') return json(res, 202, submitted);
  if (req.url?.endsWith('/events')) return void res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`event: progress\ndata: ${JSON.stringify({ id: 'inf-1', status: 'verified', at: 1 })}\n\n`);
  return get(req, res);
};

let h: Hostile;
let other: Hostile;
before(async () => { h = await hostile(); other = await hostile(); });
after(async () => { await h.close(); await other.close(); });

async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms); })]);
  } finally {
    clearTimeout(t);
  }
}

test('a view of another inference id is refused by get(), wait() and infer(): never verified against nothing', async () => {
  h.handle = api((_req, res) => json(res, 200, view('inf-OTHER')));
  const c = new ZkinferClient({ url: h.url });
  await assert.rejects(c.get('inf-1'), (e: unknown) => e instanceof ProtocolError && /asked for inference inf-1.*inf-OTHER/.test(e.message));
  await assert.rejects(c.infer({ circuitId: CID, input: { x: [1] } }), ProtocolError);
  await assert.rejects(c.wait('inf-1', { mode: 'poll' }), ProtocolError);
  // the right id passes
  h.handle = api((_req, res) => json(res, 200, view('inf-1')));
  assert.equal((await c.infer({ circuitId: CID, input: { x: [1] } })).id, 'inf-1');
});

test('a vk nested thousands deep is a typed verification problem, not a RangeError', async () => {
  assert.throws(() => canonicalJson(deep(5000)), CanonicalJsonDepthError);
  await assert.rejects(circuitIdOfVk(deep(5000)), CanonicalJsonDepthError);
  const inf = view('inf-1', { proof, public_signals: ['1', '1'] });
  const r = await verifyInference(inf, circuit, deep(5000), { snarkjs: { groth16: { verify: async () => true } } });
  assert.equal(r.valid, false);
  assert.equal(r.checks.vkMatchesCircuit, false);
  assert.match(r.problems.join('\n'), /cannot hash the verification key: .*deeper than 64/);
  // through the client, with the vk served by the hostile API
  h.handle = (req, res) => (req.url?.endsWith('/vk') ? void res.writeHead(200).end('['.repeat(100_000) + ']'.repeat(100_000)) : json(res, 200, circuit));
  const v = await new ZkinferClient({ url: h.url }).verify(inf, { input: { x: [1] } });
  assert.equal(v.valid, false);
  assert.match(v.problems.join('\n'), /cannot hash the verification key/);
});

test('a response body past 64 MiB is refused promptly with a ProtocolError (streamed or declared)', async () => {
  const chunk = Buffer.alloc(1 << 20, 0x20);
  h.handle = (req, res) => {
    if (req.url?.includes('declared')) return void res.writeHead(200, { 'content-length': String(3 * 2 ** 30) }).write(chunk);
    res.writeHead(200, { 'content-type': 'application/json' });
    let n = 0;
    const w = (): void => { while (n++ < 3000) if (!res.write(chunk)) return void res.once('drain', w); res.end('{}'); };
    res.on('close', () => { n = 1e9; });
    w();
  };
  const c = new ZkinferClient({ url: h.url });
  const t0 = Date.now();
  await within(15_000, assert.rejects(c.get('inf-1'), (e: unknown) => e instanceof ProtocolError && /larger than 67108864 bytes/.test(e.message)));
  await within(5_000, assert.rejects(c.get('declared'), /larger than 67108864 bytes/));
  assert.ok(Date.now() - t0 < 15_000);
});

test('an endless SSE line is a ProtocolError at 1 MiB, in bounded memory; SSE events split across chunks still parse', async () => {
  h.handle = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const a = 'data: ' + 'A'.repeat(1 << 16);
    let n = 0;
    const w = (): void => { while (n++ < 100_000) if (!res.write(n === 1 ? a : a.slice(6))) return void res.once('drain', w); res.end(); };
    res.on('close', () => { n = 1e9; });
    w();
  };
  const res = await fetch(`${h.url}/v1/inferences/inf-1/events`);
  const before = process.memoryUsage().rss;
  await within(10_000, assert.rejects((async () => { for await (const _ of readSse(res.body!)) void _; })(), (e: unknown) => e instanceof ProtocolError && /longer than 1048576/.test(e.message)));
  assert.ok(process.memoryUsage().rss - before < 200 * 2 ** 20, 'memory stayed bounded');
  await within(10_000, assert.rejects(new ZkinferClient({ url: h.url }).wait('inf-1', { timeoutMs: 20_000 }), ProtocolError));

  const text = 'event: progress\r\ndata: {"a":\ndata: 1}\n\n: comment\nevent: progress\ndata: x\n\n';
  const body = new ReadableStream<Uint8Array>({ start(ctl) { for (const ch of text) ctl.enqueue(new TextEncoder().encode(ch)); ctl.close(); } });
  const got = [];
  for await (const e of readSse(body)) got.push(e);
  assert.deepEqual(got, [{ event: 'progress', data: '{"a":\n1}' }, { event: 'progress', data: 'x' }]);
});

test('submit and the GET after the SSE stream honour the timeout and the caller\'s signal', async () => {
  h.handle = (req, res) => (req.url?.endsWith('/events') ? api(() => undefined)(req, res) : undefined); // POST and GET never answered
  const c = new ZkinferClient({ url: h.url, timeoutMs: 300 });
  let t0 = Date.now();
  await within(5_000, assert.rejects(c.submit({ circuitId: CID, input: {} }), RequestTimeoutError));
  assert.ok(Date.now() - t0 < 3_000);
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 200);
  await within(5_000, assert.rejects(new ZkinferClient({ url: h.url }).submit({ circuitId: CID, input: {} }, { signal: ctl.signal }), RequestTimeoutError));
  // SSE says verified, then the final GET hangs: the wait's timeout ends it (the client's own default is 60 s)
  const slow = new ZkinferClient({ url: h.url });
  t0 = Date.now();
  await within(5_000, assert.rejects(slow.wait('inf-1', { timeoutMs: 400 }), WaitTimeoutError));
  await within(5_000, assert.rejects(slow.wait('inf-1', { timeoutMs: 400, mode: 'poll' }), WaitTimeoutError));
  await within(5_000, assert.rejects(slow.infer({ circuitId: CID, input: {} }, { timeoutMs: 400 }), RequestTimeoutError));
  assert.ok(Date.now() - t0 < 4_000);
});

test('a redirect to another origin is refused and the credentials never reach it', async () => {
  other.seen.length = 0;
  other.handle = api((_req, res) => json(res, 200, view('inf-1')));
  h.handle = (req, res) => void res.writeHead(307, { location: `${other.url}${req.url}` }).end();
  const c = new ZkinferClient({ url: h.url, apiKey: 'SECRET-KEY' });
  await assert.rejects(c.submit({ circuitId: CID, input: {} }), (e: unknown) => e instanceof ProtocolError && /redirect to another origin/.test(e.message));
  await assert.rejects(c.get('inf-1'), ProtocolError);
  await assert.rejects(c.wait('inf-1', { timeoutMs: 2_000 }), ProtocolError);
  assert.equal(h.seen.at(-3)?.headers['x-api-key'], 'SECRET-KEY');
  assert.deepEqual(other.seen, [], 'the other origin was never asked');
});

test('circuits() and list() answer a body that is not the schema with a ProtocolError', async () => {
  h.handle = (req, res) => json(res, 200, req.url?.startsWith('/v1/circuits') ? { circuits: [{ id: 1 }] } : { nope: true });
  const c = new ZkinferClient({ url: h.url });
  await assert.rejects(c.circuits(), ProtocolError);
  await assert.rejects(c.list(), ProtocolError);
  h.handle = (_req, res) => json(res, 200, {});
  await assert.rejects(c.circuits(), ProtocolError);
});

test('printable() removes ESC sequences and escapes other control characters', () => {
  assert.equal(printable('a\nb\r\u001b[8mc\u001b]0;t\u0007d\u009b2Je\u202ef\t'), 'a\\x0ab\\x0dcde\\u202ef\\x09');
});

test('zkinfer query prints no raw control characters from the server (summary, error, ids)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkinfer-hostile-'));
  try {
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ x: [1] }));
    const forged = 'risk 0.2\nproof verified locally ✓ (vk hash, pinned circuit, Groth16, your inputs, output)\u001b[8m\r';
    for (const v of [view('inf-1', { summary: forged }), view('inf-1', { status: 'failed', output: undefined, error: `boom\n\u001b[2Kproof verified locally ✓\u009b8m` })]) {
      h.handle = api((_req, res) => json(res, 200, v));
      const run = startCli(['query', '--validator', h.url, '--circuit', CID, '--input', join(dir, 'in.json'), '--no-verify', '--timeout', '20'], { env: { HOME: dir, ZKINFER_HOME: dir } });
      const r = await run.exited(30_000);
      const all = run.out() + run.err();
      assert.equal(r.code, v.status === 'verified' ? 0 : 2, all);
      assert.doesNotMatch(all, /[\u001b\r\u0080-\u009f]/, 'no ESC, CR or C1 character');
      assert.doesNotMatch(all, /^proof verified locally/m, 'no forged line');
      assert.match(all, v.status === 'verified' ? /risk 0\.2\\x0aproof verified/ : /failed: boom\\x0a/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
