import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { Axon, SLOT_GRACE_MS } from '../../src/protocol/axon.js';
import { ChainConnectionError } from '../../src/chain/errors.js';
import { Dendrite } from '../../src/protocol/dendrite.js';
import { SYNAPSES, type QueryZkProof } from '../../src/protocol/synapses.js';
import { signText } from '../../src/protocol/signing.js';
import { EMPTY_BODY_HASH, timeNs } from '../../src/protocol/wire.js';

let axon: Axon;
let port: number;
let miner: KeyringPair;
let validator: KeyringPair;
let stranger: KeyringPair;
let release: (() => void) | undefined;
let slowGate: Promise<void> = Promise.resolve();

before(async () => {
  await cryptoWaitReady();
  const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
  miner = k.addFromUri('//MinerAxonTest');
  validator = k.addFromUri('//ValidatorAxonTest');
  stranger = k.addFromUri('//Stranger');
  axon = new Axon({ hotkey: miner, bodyLimit: 64 * 1024, concurrency: 2, maxQueue: 10 });
  axon.attach({
    spec: SYNAPSES.QueryZkProof,
    blacklist: (c) => (c.hotkey === stranger.address ? 'hotkey not registered' : undefined),
    forward: async (s) => {
      await slowGate;
      return { query_output: JSON.stringify({ echo: s.query_input?.model_id ?? null }) };
    },
  });
  port = await axon.start();
});

after(async () => {
  release?.();
  await axon.stop();
});

function target() {
  return { ip: '127.0.0.1', port, hotkey: miner.address };
}

function post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

const input = { model_id: 'm1', public_inputs: { x: [0.5, -1.25] } };

/**
 * Send `req` with complete headers but only the first 10 bytes of its body, and never the rest. `closed` resolves
 * with what the server wrote once it closes the connection.
 */
function halfSent(toPort: number, req: { path: string; headers: Record<string, string>; body: string }): { socket: net.Socket; closed: Promise<string> } {
  const socket = net.connect(toPort, '127.0.0.1');
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(got)));
  const head = Object.entries({ host: `127.0.0.1:${toPort}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(req.body)), ...req.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(`POST ${req.path} HTTP/1.1\r\n${head}\r\n${req.body.slice(0, 10)}`);
  return { socket, closed };
}

/** `p`, or a rejection naming `what` after `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms); })])
    .finally(() => clearTimeout(timer));
}

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const t0 = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() - t0 > ms) throw new Error(`${what}: not after ${ms} ms`);
}

test('a signed QueryZkProof from the dendrite is answered 200 with axon status Success', async () => {
  const d = new Dendrite(validator);
  const r = await d.call<QueryZkProof>(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  assert.equal(r.status, 200, r.message);
  assert.equal(r.synapse?.query_output, JSON.stringify({ echo: 'm1' }));
  assert.equal(r.synapse?.axon?.status_code, 200);
  assert.equal(r.synapse?.axon?.status_message, 'Success');
  assert.equal(r.headers?.['bt_header_axon_status_code'], '200');
  assert.equal(r.headers?.['bt_header_axon_hotkey'], miner.address);
  d.close();
});

test('a hand-built request in the exact shape the Python dendrite sends is accepted', async () => {
  const nonce = timeNs();
  const uuid = '5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a';
  const signature = signText(validator, `${nonce}.${validator.address}.${miner.address}.${uuid}.${EMPTY_BODY_HASH}`);
  // Headers as Synapse.to_headers() builds them: TerminalInfo fields that are not None (the dendrite's port is None).
  const headers = {
    name: 'QueryZkProof',
    timeout: '12.0',
    bt_header_axon_ip: '127.0.0.1',
    bt_header_axon_port: String(port),
    bt_header_axon_hotkey: miner.address,
    bt_header_dendrite_ip: '203.0.113.7',
    bt_header_dendrite_version: '10002000',
    bt_header_dendrite_nonce: nonce.toString(),
    bt_header_dendrite_uuid: uuid,
    bt_header_dendrite_hotkey: validator.address,
    bt_header_dendrite_signature: signature,
    header_size: '640',
    total_size: '3221',
    computed_body_hash: EMPTY_BODY_HASH,
  };
  // Body as aiohttp's json=synapse.model_dump() serialises it (json.dumps: ", " and ": " separators, big ints exact).
  const body =
    `{"name": "QueryZkProof", "timeout": 12.0, "total_size": 3221, "header_size": 0, ` +
    `"dendrite": {"status_code": null, "status_message": null, "process_time": null, "ip": "203.0.113.7", "port": null, "version": 10002000, "nonce": ${nonce}, "uuid": "${uuid}", "hotkey": "${validator.address}", "signature": "${signature}"}, ` +
    `"axon": {"status_code": null, "status_message": null, "process_time": null, "ip": "127.0.0.1", "port": ${port}, "version": null, "nonce": null, "uuid": null, "hotkey": "${miner.address}", "signature": null}, ` +
    `"computed_body_hash": "", "query_input": {"model_id": "m1", "public_inputs": {"x": [0.5, -1.25]}}, "query_output": null}`;
  const r = await post('/QueryZkProof', headers, body);
  assert.equal(r.status, 200, r.body);
  const json = JSON.parse(r.body) as { query_output: string; axon: { status_code: number; status_message: string; hotkey: string }; name: string };
  assert.equal(json.name, 'QueryZkProof');
  assert.equal(json.query_output, JSON.stringify({ echo: 'm1' }));
  assert.equal(json.axon.status_code, 200);
  assert.equal(json.axon.status_message, 'Success');
  assert.equal(r.headers['bt_header_axon_status_message'], 'Success');
  // The same request again is a replay: the nonce is not newer than the last one for this hotkey:uuid.
  const replay = await post('/QueryZkProof', headers, body);
  assert.equal(replay.status, 401);
  assert.match((JSON.parse(replay.body) as { message: string }).message, /Nonce is too old/);
  assert.equal(replay.headers['bt_header_axon_status_code'], '401');
});

test('refusals: replay 401, bad signature 401, unsigned 401, stale nonce 401, blacklisted 403, unknown 404, oversized 413, malformed 400', async () => {
  const d = new Dendrite(validator);
  const req = d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  assert.equal((await post(req.path, req.headers, req.body)).status, 200);
  assert.equal((await post(req.path, req.headers, req.body)).status, 401, 'replayed nonce');

  const bad = d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  const sig = bad.headers['bt_header_dendrite_signature']!;
  const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
  const r1 = await post(bad.path, { ...bad.headers, bt_header_dendrite_signature: flipped }, bad.body);
  assert.equal(r1.status, 401);
  assert.match((JSON.parse(r1.body) as { message: string }).message, /Signature mismatch/);

  const unsigned = d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  const { bt_header_dendrite_signature: _drop, ...noSig } = unsigned.headers;
  assert.equal((await post(unsigned.path, noSig, unsigned.body)).status, 401, 'unsigned');

  // A nonce older than 4 s + timeout, correctly signed, on a fresh uuid.
  const staleNonce = timeNs() - 20_000_000_000n;
  const uuid = 'stale-uuid';
  const staleHeaders = {
    ...unsigned.headers,
    bt_header_dendrite_nonce: staleNonce.toString(),
    bt_header_dendrite_uuid: uuid,
    bt_header_dendrite_signature: signText(validator, `${staleNonce}.${validator.address}.${miner.address}.${uuid}.${EMPTY_BODY_HASH}`),
  };
  assert.equal((await post(unsigned.path, staleHeaders, unsigned.body)).status, 401, 'stale');

  // Signed for another axon hotkey.
  const other = d.prepare({ ...target(), hotkey: stranger.address }, SYNAPSES.QueryZkProof, { query_input: input }, 5);
  assert.equal((await post(other.path, other.headers, other.body)).status, 401, 'wrong axon hotkey');

  const s = new Dendrite(stranger);
  const r403 = await s.call(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  assert.equal(r403.status, 403);
  assert.match(r403.message, /blacklisted: hotkey not registered/);

  const r404 = await d.call(target(), { ...SYNAPSES.QueryZkProof, name: 'NoSuchSynapse' }, {}, 5);
  assert.equal(r404.status, 404);

  const big = await d.call(target(), SYNAPSES.QueryZkProof, { query_input: { model_id: 'm1', public_inputs: { x: new Array(20_000).fill(0.123456) } } }, 5);
  assert.equal(big.status, 413);

  const badHeader = d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  assert.equal((await post(badHeader.path, { ...badHeader.headers, bt_header_dendrite_nonce: 'abc' }, badHeader.body)).status, 400);

  const badJson = d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  assert.equal((await post(badJson.path, badJson.headers, '{not json')).status, 400);

  const badShape = d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5);
  assert.equal((await post(badShape.path, badShape.headers, JSON.stringify({ query_input: { model_id: 5 } }))).status, 400);

  // Signed over a different body hash than the body has: verify passes, then the hash check refuses with 400.
  const n = timeNs();
  const wrongHash = 'f'.repeat(64);
  const mismatch = {
    ...badShape.headers,
    bt_header_dendrite_nonce: n.toString(),
    computed_body_hash: wrongHash,
    bt_header_dendrite_signature: signText(validator, `${n}.${validator.address}.${miner.address}.${d.uuid}.${wrongHash}`),
  };
  const rm = await post(badShape.path, mismatch, badShape.body);
  assert.equal(rm.status, 400);
  assert.match(rm.body, /Hash mismatch/);

  // Still serving after all of that.
  assert.equal((await d.call(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5)).status, 200);
  d.close();
  s.close();
});

test('signed requests whose bodies stall hold their slots no longer than their own timeout: then the axon serves others', async () => {
  const d = new Dendrite(validator);
  // Both slots (concurrency 2) taken by requests with a 1 s timeout that never finish their body.
  const stalled = [halfSent(port, d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 1)), halfSent(port, d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 1))];
  await until(() => axon.gate.active === 2, 'the stalled requests take both slots');
  // Queued behind them with a 10 s timeout: served once their 1 s (+ grace) has passed, not 408 at 10 s.
  const r = await d.call<QueryZkProof>(target(), SYNAPSES.QueryZkProof, { query_input: input }, 10);
  assert.equal(r.status, 200, r.message);
  for (const s of stalled) await within(s.closed, 10 * SLOT_GRACE_MS, 'the axon closes a stalled connection');
  await until(() => axon.gate.active === 0 && axon.gate.queued === 0, 'every slot free again');
  assert.equal((await d.call(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5)).status, 200);
  d.close();
});

test('a request refused before its body arrived gets its answer and its connection is closed, not kept for the rest of the body', async () => {
  const d = new Dendrite(validator);
  const req = d.prepare(target(), SYNAPSES.QueryZkProof, { query_input: input }, 60);
  const { bt_header_dendrite_signature: _drop, ...unsigned } = req.headers;
  const got = await within(halfSent(port, { ...req, headers: unsigned }).closed, 5000, 'the axon closes the refused connection');
  assert.match(got, /^HTTP\/1\.1 401 /);
  assert.match(got, /connection: close/i);
  d.close();
});

/** An axon whose QueryZkProof forward waits until `finishForward()` (it ignores its abort signal), started on a free port. */
async function heldAxon(concurrency: number): Promise<{ a: Axon; p: number; finishForward: () => void }> {
  let finishForward!: () => void;
  const held = new Promise<void>((r) => { finishForward = r; });
  const a = new Axon({ hotkey: miner, concurrency, maxQueue: 4 });
  a.attach({ spec: SYNAPSES.QueryZkProof, forward: async () => { await held; return { query_output: 'done' }; } });
  return { a, p: await a.start(), finishForward };
}

test('stop() answers a request in flight and does not wait for half-sent ones or kept-alive connections', async () => {
  const { a, p, finishForward } = await heldAxon(2);
  const to = { ip: '127.0.0.1', port: p, hotkey: miner.address };
  const d = new Dendrite(validator);
  const stalled = halfSent(p, d.prepare(to, SYNAPSES.QueryZkProof, { query_input: input }, 60)); // holds a slot for up to 60 s
  const partialHeaders = net.connect(p, '127.0.0.1', () => partialHeaders.write('POST /QueryZkProof HTTP/1.1\r\nhost: x\r\n'));
  partialHeaders.on('error', () => undefined);
  const inFlight = d.call<QueryZkProof>(to, SYNAPSES.QueryZkProof, { query_input: input }, 60); // on a kept-alive connection
  await until(() => a.gate.active === 2, 'both slots taken');
  const stopped = a.stop();
  setTimeout(finishForward, 200);
  assert.equal((await inFlight).status, 200, 'the request in flight is answered');
  await within(stopped, 5000, 'stop()');
  await within(stalled.closed, 1000, 'the half-sent request is dropped');
  d.close();
});

test('kill() with a forward still running frees its slot and leaves no guard timer to hold the process for the request\'s timeout', async () => {
  const { a, p, finishForward } = await heldAxon(1);
  const d = new Dendrite(validator);
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const call = d.call<QueryZkProof>({ ip: '127.0.0.1', port: p, hotkey: miner.address }, SYNAPSES.QueryZkProof, { query_input: input }, 60);
  await until(() => a.gate.active === 1, 'the slot taken');
  await within(a.kill(), 5000, 'kill()');
  assert.notEqual((await call).status, 200, 'the connection was cut');
  d.close();
  // the request's 60 s guard (+ SLOT_GRACE_MS) was cleared: a killed axon in a test or a stopping process kept the
  // event loop alive a minute after everything else had ended
  assert.equal(a.gate.active, 0, 'the slot is free');
  finishForward(); // the forward ignored its abort signal: its answer goes nowhere
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(timers() <= before, `${timers() - before} timer(s) left behind`);
});

test('100 concurrent requests: each is answered 200 or 503, none dropped, the axon keeps serving', async () => {
  slowGate = new Promise((r) => { release = r; });
  const d = new Dendrite(validator);
  let settled = 0;
  const calls = Array.from({ length: 100 }, () =>
    d.call(target(), SYNAPSES.QueryZkProof, { query_input: input }, 30).finally(() => { settled++; }),
  );
  // Hold the two running forwards until every request has been either queued or refused.
  while (settled + axon.gate.queued + axon.gate.active < 100) await new Promise((r) => setTimeout(r, 20));
  release?.();
  const results = await Promise.all(calls);
  const by = new Map<number, number>();
  for (const r of results) by.set(r.status, (by.get(r.status) ?? 0) + 1);
  assert.deepEqual([...by.keys()].sort(), [200, 503], JSON.stringify([...by]));
  assert.equal(by.get(200), 12, '2 running + 10 queued are served');
  assert.equal((await d.call(target(), SYNAPSES.QueryZkProof, { query_input: input }, 5)).status, 200);
  d.close();
});

test('a ChainConnectionError from a route is a one-line log and 503; any other error keeps its stack and is 500', async () => {
  const lines: string[] = [];
  let fail: Error = new ChainConnectionError('cannot reach the devnet node at http://127.0.0.1:1');
  const a = new Axon({ hotkey: miner, log: (l) => lines.push(l) });
  a.attach({ spec: SYNAPSES.QueryForCapacities, gated: false, blacklist: () => { throw fail; }, forward: async () => ({ capacities: {} }) });
  const t = { ip: '127.0.0.1', port: await a.start(), hotkey: miner.address };
  const d = new Dendrite(validator);
  try {
    const r = await d.call(t, SYNAPSES.QueryForCapacities, {}, 5);
    assert.equal(r.status, 503);
    assert.match(r.message, /^Service unavailable: cannot reach the devnet node/);
    assert.deepEqual(lines, ['axon: QueryForCapacities: ChainConnectionError: cannot reach the devnet node at http://127.0.0.1:1']);
    fail = new TypeError('a bug');
    const b = await d.call(t, SYNAPSES.QueryForCapacities, {}, 5);
    assert.equal(b.status, 500);
    assert.match(lines[1]!, /^axon: internal error: TypeError: a bug\n\s+at /);
  } finally {
    d.close();
    await a.stop();
  }
});
