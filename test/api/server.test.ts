import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import WebSocket from 'ws';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEventListeners } from 'node:events';
import { ZkinferClient, ApiRequestError, readSse, signedHeaders } from '../../src/client/index.js';
import { endSnarkjs, proveNext, startApi, startProving, type Harness } from './harness.js';
import { BN254_Q } from '../../src/zkml/fixed-point.js';

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice');
const mallory = keyring.addFromUri('//Mallory');
const API_KEY = 'test-key-0123456789abcdef';

after(endSnarkjs);

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const good = { model: 'affine', input: { x: [1.5, -2, 0.25] } };

describe('open API with a proving loop', () => {
  let h: Harness;
  let prover: { stop(): Promise<void> };
  before(async () => {
    h = await startApi({
      config: {
        auth: { mode: 'open' },
        rateLimit: { burst: 1000, perSecond: 1000 },
        proofOfWeights: { '7': 'affine' },
        customQueries: [{ name: 'nightly', circuit: 'affine', input: { x: [1, 2, 3] }, transform: { kind: 'jitter', sigma: 0.01 }, everyS: 3600, runs: 1 }],
      },
    });
    prover = startProving(h);
  });
  after(async () => {
    await prover.stop();
    await h.close();
  });

  test('submit → 202, SSE progress to verified, result with decoded output, proof verified locally by the client SDK', async () => {
    const r = await post(h.url, good);
    assert.equal(r.status, 202);
    assert.match(r.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('location'), `/v1/inferences/${r.body.id}`);
    const sse = await fetch(`${h.url}${r.body.links.events}`);
    assert.equal(sse.headers.get('content-type'), 'text/event-stream');
    const statuses: string[] = [];
    for await (const ev of readSse(sse.body!)) statuses.push(JSON.parse(ev.data).status);
    assert.equal(statuses.at(-1), 'verified');

    const client = new ZkinferClient({ url: h.url });
    const inf = await client.get(r.body.id);
    assert.equal(inf.status, 'verified');
    assert.equal(inf.miner_uid, 3);
    assert.deepEqual(inf.output, { lin: [3 * 1.5 - 2 * -2 + 0.25 + 5], prod: [-3] });
    assert.equal(inf.public_signals!.length, 5);
    // A client that did not submit it and gives no input of its own: nothing is bound, and it says so.
    const unbound = await client.verify(inf);
    assert.equal(unbound.checks.inputsBound, undefined);
    assert.equal(unbound.checks.circuitPinned, undefined);
    assert.match(unbound.unchecked.join('\n'), /inputs not bound/);
    assert.match(unbound.unchecked.join('\n'), /circuit not pinned/);
    const v = await client.verify(inf, { input: good.input, circuitId: inf.circuit_id });
    assert.deepEqual(v.problems, []);
    assert.equal(v.valid, true);
    assert.equal(v.checks.inputsBound, true);
    assert.equal(v.checks.circuitPinned, true);
    assert.deepEqual(v.unchecked, []);
    // Pinned to another circuit: refused.
    const wrongPin = await client.verify(inf, { input: good.input, circuitId: 'ab'.repeat(32) });
    assert.equal(wrongPin.valid, false);
    assert.equal(wrongPin.checks.circuitPinned, false);

    // A malicious server answers OUR input A with an honest proof for input B and echoes B back as "input":
    // the client binds the input IT submitted, never the echo (issue #17 item 2).
    const mine = new ZkinferClient({ url: h.url });
    const a = await mine.submit({ model: 'affine', input: { x: [1, 1, 1] } });
    const lie = { ...inf, id: a.id, input: inf.input };
    const caught = await mine.verify(lie);
    assert.equal(caught.valid, false);
    assert.equal(caught.checks.inputsBound, false);
    assert.equal(caught.checks.circuitPinned, undefined, 'submitted by model name: the circuit is not pinned');

    // Local verification catches a result that is not bound to our input, or a doctored output.
    const other = await client.verify(inf, { tensors: { x: [1.5, -2, 0.5] } });
    assert.equal(other.valid, false);
    assert.equal(other.checks.inputsBound, false);
    const doctored = await client.verify({ ...inf, output: { lin: [99], prod: [-3] } });
    assert.equal(doctored.valid, false);
    assert.equal(doctored.checks.outputMatches, false);
    assert.equal(doctored.checks.proof, true);
    // The same proof with a coordinate written + q verifies in snarkjs (it reduces mod q); the client refuses it
    // (docs/security.md, "Proofs: what a verifier checks").
    const p = inf.proof as { pi_a: string[] };
    const respelled = await client.verify({ ...inf, proof: { ...inf.proof, pi_a: [(BigInt(p.pi_a[0]!) + BN254_Q).toString(), p.pi_a[1]!, p.pi_a[2]!] } as typeof inf.proof }, { input: good.input, circuitId: inf.circuit_id });
    assert.equal(respelled.valid, false);
    assert.match(respelled.problems.join('\n'), /pi_a\[0\].*is not canonical/);
  });

  test('client.infer waits by SSE and by polling', async () => {
    const client = new ZkinferClient({ url: h.url });
    const seen: string[] = [];
    const a = await client.infer({ model: 'affine', input: { x: [0, 1, 2] } }, { onProgress: (e) => seen.push(e.status) });
    assert.equal(a.status, 'verified');
    assert.equal(seen.at(-1), 'verified');
    // polling every 1 ms (tens of polls while the proof is made) adds no listener per poll to the wait's signal
    // (Node warns past 10 on one AbortSignal), and leaves none on the caller's
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const caller = new AbortController();
    try {
      const b = await client.infer({ circuitId: a.circuit_id, input: { x: [0, 1, 3] } }, { mode: 'poll', pollMs: 1, signal: caller.signal });
      assert.deepEqual(b.output!.lin, [3 * 0 - 2 * 1 + 3 + 5]);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings.filter((n) => n === 'MaxListenersExceededWarning'), []);
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
  });

  test('400 names the offending field; 404 for an unknown circuit or id', async () => {
    let r = await post(h.url, { model: 'affine', input: { x: [1, 'two', 3] } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'input.x[1]');
    assert.match(r.body.error.message, /^input\.x\[1\]: /);
    r = await post(h.url, { model: 'affine', input: { x: [1, 2] } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'input.x');
    r = await post(h.url, { model: 'affine', input: { x: [1, 2, 1000] } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'input.x[2]');
    assert.match(r.body.error.message, /out of range/);
    r = await post(h.url, { model: 'affine', input: { x: [1, 2, 3], y: 1 } });
    assert.equal(r.body.error.field, 'input.y');
    r = await post(h.url, { input: { x: [1, 2, 3] } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'body.circuit_id');
    r = await post(h.url, '{"model": "affine", "input": {');
    assert.equal(r.status, 400);
    r = await post(h.url, { model: 'no-such-model', input: {} });
    assert.equal(r.status, 404);
    assert.match(r.body.error.hint, /affine/);
    const g = await fetch(`${h.url}/v1/inferences/00000000-0000-0000-0000-000000000000`);
    assert.equal(g.status, 404);
    assert.equal((await fetch(`${h.url}/v1/circuits/nope/vk`)).status, 404);
    const client = new ZkinferClient({ url: h.url });
    await assert.rejects(client.submit({ model: 'affine', input: { x: [1, null, 3] } }), (e: unknown) => e instanceof ApiRequestError && e.status === 400 && e.field === 'input.x[1]');
  });

  test('413 for a body over the limit, and the server keeps serving', async () => {
    const r = await post(h.url, { model: 'affine', input: { x: [1, 2, 3] }, pad: 'x'.repeat(70 * 1024) });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal((await post(h.url, good)).status, 202);
  });

  test('circuits list carries the input JSON Schema; vk and Solidity verifier are served', async () => {
    const c = (await (await fetch(`${h.url}/v1/circuits`)).json()) as any;
    assert.equal(c.circuits.length, 1);
    const circuit = c.circuits[0];
    assert.deepEqual(circuit.input_schema.required, ['x']);
    assert.equal(circuit.input_schema.properties.x.minItems, 3);
    const vk = (await (await fetch(`${h.url}${circuit.links.vk}`)).json()) as any;
    assert.equal(vk.protocol, 'groth16');
    const sol = await (await fetch(`${h.url}/v1/circuits/affine/verifier.sol`)).text();
    assert.match(sol, /contract Groth16Verifier/);
    assert.match(sol, /^\/\/ INSECURE-DEV: /, 'the API serves the one exporter, INSECURE-DEV banner included');
    assert.match(sol, /uint\[5\] calldata _pubSignals/);
  });

  test('WebSocket JSON-RPC: proof_of_computation and proof_of_weights answer with the verified inference', async () => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/rpc`);
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    const messages: any[] = [];
    const waitFor = (pred: (m: any) => boolean) =>
      new Promise<any>((resolve) => {
        const hit = messages.find(pred);
        if (hit) return resolve(hit);
        const on = (): void => {
          const m = messages.find(pred);
          if (m) (ws.off('message', on), resolve(m));
        };
        ws.on('message', on);
      });
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'proof_of_computation', params: { circuit: 'affine', input: { x: [2, 3, 4] } } }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'proof_of_weights', params: { evaluation_data: { x: [1, 1, 1] }, weights_version: 7 } }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'proof_of_weights', params: { evaluation_data: { x: [1, 1, 1] }, weights_version: 8 } }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'nope' }));
    // names every object has are not versions (they answered -32000 "internal error" before)
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'proof_of_weights', params: { evaluation_data: { x: [1, 1, 1] }, weights_version: '__proto__' } }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'proof_of_weights', params: { evaluation_data: { x: [1, 1, 1] }, weights_version: 'constructor' } }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'proof_of_computation', params: { circuit: 'affine', input: { x: [2, 3] } } }));
    ws.send('{not json');
    const r1 = await waitFor((m) => m.id === 1);
    assert.equal(r1.result.status, 'verified');
    assert.deepEqual(r1.result.output.lin, [3 * 2 - 2 * 3 + 4 + 5]);
    assert.ok(messages.some((m) => m.method === 'inference_progress' && m.params.id === r1.result.id));
    const r2 = await waitFor((m) => m.id === 2);
    assert.equal(r2.result.status, 'verified');
    assert.equal((await waitFor((m) => m.id === 3)).error.data.field, 'params.weights_version');
    assert.equal((await waitFor((m) => m.id === 4)).error.code, -32601);
    for (const id of [6, 7]) assert.equal((await waitFor((m) => m.id === id)).error.data.field, 'params.weights_version');
    const r5 = await waitFor((m) => m.id === 5);
    assert.equal(r5.error.code, -32602);
    assert.equal(r5.error.data.field, 'input.x');
    assert.equal((await waitFor((m) => m.id === null && m.error?.code === -32700)).error.code, -32700);
    ws.close();
  });

  test('custom query templates are submitted on schedule and served like external ones', async () => {
    let list: any;
    for (let i = 0; i < 200; i++) {
      list = await (await fetch(`${h.url}/v1/inferences?source=custom:nightly`)).json();
      if (list.inferences[0]?.status === 'verified') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(list.inferences.length, 1);
    const inf = list.inferences[0];
    assert.equal(inf.source, 'custom:nightly');
    assert.equal(inf.status, 'verified');
    assert.ok(Math.abs(inf.input.x[2] - 3) < 0.2, 'the jitter transform perturbs the base input slightly');
    const client = new ZkinferClient({ url: h.url });
    assert.equal((await client.verify(inf)).valid, true);
    const d = (await (await fetch(`${h.url}/v1/custom-queries`)).json()) as any;
    assert.deepEqual(d.custom_queries[0].last_ids, [inf.id]);
  });

  test('healthz, OpenAPI document and Prometheus metrics', async () => {
    assert.equal(((await (await fetch(`${h.url}/healthz`)).json()) as any).ok, true);
    const doc = (await (await fetch(`${h.url}/openapi.json`)).json()) as any;
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/v1/inferences'].post.responses['429']);
    assert.ok(doc.paths['/v1/inferences'].post.requestBody.content['application/json'].schema.properties.model);
    const m = await (await fetch(`${h.url}/metrics`)).text();
    assert.match(m, /zkinfer_api_submissions_total\{outcome="accepted"\} \d+/);
    assert.match(m, /zkinfer_api_submissions_total\{outcome="rejected_413"\} 1/);
    assert.match(m, /zkinfer_api_inferences_completed_total\{source="external",status="verified"\} \d+/);
  });
});

describe('signed API: authentication, allow-list, rate limit, queue limit', () => {
  let h: Harness;
  before(async () => {
    h = await startApi({ config: { auth: { mode: 'signed', allow: [alice.address], apiKeys: [{ name: 'ci', key: API_KEY }] }, rateLimit: { burst: 5, perSecond: 0.01 }, maxPending: 12 } });
  });
  after(async () => h.close());

  test('401 without credentials, with a bad or replayed signature, or an unknown API key; 403 when not allowed', async () => {
    let r = await post(h.url, good);
    assert.equal(r.status, 401);
    assert.match(r.body.error.hint, /x-signature/);
    const headers = signedHeaders(alice);
    assert.equal((await post(h.url, good, headers)).status, 202);
    r = await post(h.url, good, headers);
    assert.equal(r.status, 401, 'replayed signature');
    assert.match(r.body.error.message, /replay/);
    r = await post(h.url, good, { ...signedHeaders(mallory), 'x-origin-ss58': alice.address });
    assert.equal(r.status, 401);
    r = await post(h.url, good, { ...signedHeaders(alice), 'x-timestamp': String(Math.floor(Date.now() / 1000) - 400) });
    assert.equal(r.status, 401);
    r = await post(h.url, good, signedHeaders(mallory));
    assert.equal(r.status, 403);
    r = await post(h.url, good, { 'x-api-key': 'wrong-key-0000000000' });
    assert.equal(r.status, 401);
    // the WebSocket upgrade is authenticated the same way
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/rpc`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 401);
  });

  test('429: a concurrent burst gets exactly the bucket size through; other callers are unaffected', async () => {
    // alice spent one token above; the API key caller has a fresh bucket of 5
    const burst = await Promise.all(Array.from({ length: 40 }, () => post(h.url, good, { 'x-api-key': API_KEY })));
    const codes = burst.map((r) => r.status);
    assert.equal(codes.filter((c) => c === 202).length, 5);
    assert.equal(codes.filter((c) => c === 429).length, 35);
    const limited = burst.find((r) => r.status === 429)!;
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    // still limited a moment later (the bucket refills at 0.01/s)
    assert.equal((await post(h.url, good, { 'x-api-key': API_KEY })).status, 429);
    const more = await Promise.all(Array.from({ length: 4 }, () => post(h.url, good, signedHeaders(alice))));
    assert.deepEqual(more.map((r) => r.status), [202, 202, 202, 202]);
  });

});

describe('queue limit', () => {
  test('503 once maxPending requests wait; accepted again once the validator takes one', async () => {
    const h = await startApi({ config: { auth: { mode: 'open' }, rateLimit: { burst: 100, perSecond: 100 }, maxPending: 3 } });
    try {
      const first = await Promise.all(Array.from({ length: 3 }, () => post(h.url, good)));
      assert.deepEqual(first.map((r) => r.status), [202, 202, 202]);
      const r = await post(h.url, good);
      assert.equal(r.status, 503);
      assert.equal(r.body.error.code, 'UNAVAILABLE');
      await assert.rejects(new ZkinferClient({ url: h.url }).submit(good), (e: unknown) => e instanceof ApiRequestError && e.status === 503);
      await proveNext(h);
      assert.equal((await post(h.url, good)).status, 202);
    } finally {
      await h.close();
    }
  });

  test('closing the server ends open event streams instead of hanging on them', async () => {
    const h = await startApi({ config: { auth: { mode: 'open' } } });
    const r = await post(h.url, good);
    const res = await fetch(`${h.url}${r.body.links.events}`);
    const events = readSse(res.body!);
    const first = await events.next();
    assert.equal(JSON.parse(first.value!.data).status, 'queued');
    await h.close();
    assert.equal((await events.next()).done, true);
  });

  test('custom query transforms: an ES module of the operator, and a broken template reports its error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zkinfer-cq-'));
    const mod = join(dir, 'double.mjs');
    writeFileSync(mod, 'export function double(input, run) { return { x: input.x.map((v) => v * 2 + run) }; }\n');
    const h = await startApi({
      config: {
        auth: { mode: 'open' },
        customQueries: [
          { name: 'doubled', circuit: 'affine', input: { x: [1, 2, 3] }, transform: { kind: 'module', path: mod, export: 'double' }, everyS: 3600, runs: 1 },
          { name: 'broken', circuit: 'affine', input: { x: [1, 2] }, everyS: 3600, runs: 1 },
        ],
      },
    });
    try {
      let d: any;
      for (let i = 0; i < 100; i++) {
        d = await (await fetch(`${h.url}/v1/custom-queries`)).json();
        if (d.custom_queries.every((q: any) => q.runs === 1)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const [doubled, broken] = d.custom_queries;
      assert.equal(doubled.last_ids.length, 1);
      const inf = (await (await fetch(`${h.url}/v1/inferences/${doubled.last_ids[0]}`)).json()) as any;
      assert.equal(inf.source, 'custom:doubled');
      assert.deepEqual(inf.input, { x: [2, 4, 6] });
      assert.match(broken.last_error, /input\.x/);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
