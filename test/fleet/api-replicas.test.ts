import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { signedHeaders } from '../../src/client/index.js';
import type { ApiConfigInput } from '../../src/api/config.js';
import { startApi, type Harness } from '../api/harness.js';
import { skipWithoutRedis, startRedis, type RedisHandle } from './redis-harness.js';

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
});
