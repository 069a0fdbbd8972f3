import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { signedHeaders } from '../../src/client/index.js';
import type { ApiConfigInput } from '../../src/api/config.js';
import { endSnarkjs, startApi, startProving, type Harness } from '../api/harness.js';
import { skipWithoutRedis, startRedis, type RedisHandle } from './redis-harness.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as snarkjs from 'snarkjs';
import { releaseSnarkjsCurve, snarkjsCurve } from '../../src/zkml/prove/curve.js';

// Two API replicas (two API servers, as two `zkinfer validator --redis` processes would run them) on one
// real redis-server: one rate limit and one replay set between them.
const skip = skipWithoutRedis;
let redis: RedisHandle;
const replicas: Harness[] = [];
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });

async function post(url: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model: 'affine', input: { x: [1, 2, 3] } }) });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  if (skip) return;
  await cryptoWaitReady();
  redis = await startRedis();
});

after(async () => {
  for (const r of replicas.splice(0)) await r.close();
  await redis?.stop();
  await endSnarkjs();
  await releaseSnarkjsCurve();
});

async function pair(config: ApiConfigInput): Promise<[Harness, Harness]> {
  const a = await startApi({ config });
  const b = await startApi({ config });
  replicas.push(a, b);
  return [a, b];
}

test('2 API replicas on one Redis: a caller over its limit on one is over it on both; a replayed signature is refused by the other', { skip }, async () => {
  const alice = keyring.addFromUri('//ReplicaAlice');
  const bob = keyring.addFromUri('//ReplicaBob');
  const config: ApiConfigInput = { redis: redis.url, auth: { mode: 'signed', allow: [alice.address, bob.address] }, rateLimit: { burst: 4, perSecond: 0.01 } };
  const [a, b] = await pair(config);
  const now = () => Math.floor(Date.now() / 1000);

  // 4 tokens in all, spent alternately on both replicas; the 5th is refused by either.
  for (let i = 0; i < 4; i++) assert.equal((await post((i % 2 ? b : a).url, signedHeaders(alice, now()))).status, 202, `request ${i}`);
  for (const r of [a, b]) {
    const over = await post(r.url, signedHeaders(alice, now()));
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'RATE_LIMITED');
  }
  // Another caller has its own bucket.
  assert.equal((await post(b.url, signedHeaders(bob, now()))).status, 202);

  // A signature accepted by one replica is a replay on the other (and on itself).
  const h = signedHeaders(bob, now());
  assert.equal((await post(a.url, h)).status, 202);
  for (const r of [b, a]) {
    const replay = await post(r.url, h);
    assert.equal(replay.status, 401);
    assert.match(replay.body.error.message, /replay/);
  }
});

test('control: without --redis each replica keeps its own memory (the replay passes the other replica)', { skip }, async () => {
  const carol = keyring.addFromUri('//ReplicaCarol');
  const [a, b] = await pair({ auth: { mode: 'signed', allow: [carol.address] }, rateLimit: { burst: 100, perSecond: 1 } });
  const h = signedHeaders(carol, Math.floor(Date.now() / 1000));
  assert.equal((await post(a.url, h)).status, 202);
  assert.equal((await post(b.url, h)).status, 202);
  assert.equal((await post(a.url, h)).status, 401);
});

test('Redis lost: the replicas answer 503 (nothing is admitted unchecked) and keep serving reads', { skip }, async () => {
  const dave = keyring.addFromUri('//ReplicaDave');
  const r2 = await startRedis();
  const [a] = await pair({ redis: r2.url, auth: { mode: 'signed', allow: [dave.address] } });
  assert.equal((await post(a.url, signedHeaders(dave, Math.floor(Date.now() / 1000)))).status, 202);
  await r2.stop();
  const down = await post(a.url, signedHeaders(dave, Math.floor(Date.now() / 1000)));
  assert.equal(down.status, 503);
  assert.match(down.body.error.message, /shared Redis is unreachable/);
  assert.equal((await fetch(`${a.url}/v1/circuits`)).status, 200);
  // Close it while its Redis is still gone: it must stop reconnecting (or this process would never exit).
  replicas.splice(replicas.indexOf(a), 1);
  await a.close();
});

const OPEN: ApiConfigInput = { auth: { mode: 'open' }, rateLimit: { burst: 100, perSecond: 100 } };

async function submit(url: string, x: number[]): Promise<string> {
  const res = await fetch(`${url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'affine', input: { x } }) });
  const body = (await res.json()) as { id: string };
  assert.equal(res.status, 202, JSON.stringify(body));
  return body.id;
}

/** Poll GET /v1/inferences/:id on `url` until it is verified or failed. */
async function settled(url: string, id: string, ms = 60_000): Promise<any> {
  const end = Date.now() + ms;
  for (;;) {
    const res = await fetch(`${url}/v1/inferences/${id}`);
    const body: any = res.status === 200 ? await res.json() : undefined;
    if (body && (body.status === 'verified' || body.status === 'failed')) return body;
    if (Date.now() > end) throw new Error(`request ${id} not finished on ${url}: ${res.status} ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The proof of a result verifies against the circuit's vk with the public signals the API returned. */
async function assertValidProof(h: Harness, body: any): Promise<void> {
  const vk = await h.catalog.resolve('affine')!.vk();
  assert.equal(await snarkjs.groth16.verify(vk as never, body.public_signals, body.proof), true);
}

test('shared queue: a request accepted by one replica is answered and read on the other; results survive a replica restart', { skip }, async (t) => {
  // A Redis of its own: the replicas of the tests above (no prover loop) would take requests too.
  const r4 = await startRedis();
  t.after(async () => {
    for (const r of replicas.splice(0)) await r.close();
    await r4.stop();
  });
  const config: ApiConfigInput = { ...OPEN, redis: r4.url, redisQueue: { lockMs: 2000 } };
  const [a, b] = await pair(config);
  // build snarkjs's shared curve first: two provers starting at once would each build one, and the one
  // overwritten in globalThis.curve_bn128 keeps its worker threads (and this process) alive
  await snarkjsCurve();
  const provers = [startProving(a), startProving(b)];
  const inputs = [[1, 2, 3], [0.5, -1, 2], [3, 0, -2], [-0.25, 0.75, 1]];
  const ids = await Promise.all(inputs.map((x, i) => submit((i % 2 ? b : a).url, x)));
  for (const [i, id] of ids.entries()) {
    const other = i % 2 ? a : b;
    const r = await settled(other.url, id);
    assert.equal(r.status, 'verified', JSON.stringify(r));
    assert.deepEqual(r.input, { x: inputs[i] });
    await assertValidProof(other, r);
  }
  // Both replicas list all four.
  for (const r of [a, b]) {
    const list: any = await (await fetch(`${r.url}/v1/inferences?limit=50`)).json();
    for (const id of ids) assert.ok(list.inferences.some((x: any) => x.id === id), `${id} listed on ${r.url}`);
  }
  for (const p of provers) await p.stop();
  // Restart replica A (a new process would do the same): the results are still there.
  await a.close();
  replicas.splice(replicas.indexOf(a), 1);
  const a2 = await startApi({ config });
  replicas.push(a2);
  for (const id of ids) assert.equal((await settled(a2.url, id, 5_000)).status, 'verified');
});

test('shared queue: a replica killed (SIGKILL) while holding a request loses nothing — another replica proves it', { skip }, async () => {
  const r3 = await startRedis();
  try {
    const script = fileURLToPath(new URL(`./api-replica-child.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));
    const child = spawn(process.execPath, [...process.execArgv.filter((x) => !x.startsWith('--test')), script, r3.url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const end = Date.now() + 60_000;
    while (!/replica (http\S+)/.test(out)) {
      if (child.exitCode !== null || Date.now() > end) throw new Error(`replica process did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const childUrl = /replica (http\S+)/.exec(out)![1]!;
    // The only replica running takes the request (status dispatched) and holds it: it has no prover.
    const id = await submit(childUrl, [2, 2, 2]);
    for (;;) {
      const s: any = await (await fetch(`${childUrl}/v1/inferences/${id}`)).json();
      if (s.status === 'dispatched' || s.status === 'proving') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // A second replica (lock 1 s in the dead one) recovers the request and its validator answers it.
    const b = await startApi({ config: { ...OPEN, redis: r3.url, redisQueue: { lockMs: 1000 } } });
    replicas.push(b);
    const prover = startProving(b);
    const r = await settled(b.url, id);
    await prover.stop();
    assert.equal(r.status, 'verified', JSON.stringify(r));
    await assertValidProof(b, r);
    await b.close();
    replicas.splice(replicas.indexOf(b), 1);
  } finally {
    await r3.stop();
  }
});
