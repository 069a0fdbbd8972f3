// The API's read side against hostile readers, from outside over 127.0.0.1 (docs/api.md, "HTTP API"): clients
// that drop an SSE feed at once, with the shared queue in a real redis-server (skipped with a reason without it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { endSnarkjs, startApi, type Harness } from './harness.js';
import { skipWithoutRedis, startRedis, type RedisHandle } from '../fleet/redis-harness.js';

const OPEN = { auth: { mode: 'open' as const }, rateLimit: { burst: 1000, perSecond: 1000 } };

let redis: RedisHandle | undefined;
const servers: Harness[] = [];

before(async () => {
  if (!skipWithoutRedis) redis = await startRedis();
});

after(async () => {
  for (const h of servers.splice(0)) await h.close();
  await redis?.stop();
  await endSnarkjs();
});

/** The open-streams gauge as /metrics reports it. */
async function openStreams(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^zkinfer_api_open_streams (\d+)$/m.exec(text)?.[1]);
}

/** Poll `f` until it holds, or fail after `ms` with `what`. */
async function eventually(f: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) assert.fail(what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('SSE on the Redis queue: clients that disconnect while their inference is read leave no stream behind', { skip: skipWithoutRedis, timeout: 60_000 }, async () => {
  const h = await startApi({ config: { ...OPEN, redis: redis!.url } });
  servers.push(h);
  const res = await fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'affine', input: { x: [1, 2, 3] } }) });
  assert.equal(res.status, 202);
  const { id } = (await res.json()) as { id: string };
  // Nothing proves here, so the inference stays open and so would its feeds. Count the feeds' subscriptions.
  const service = h.api.context.inferences;
  const subscribe = service.subscribe.bind(service);
  let subscribed = 0;
  let unsubscribed = 0;
  service.subscribe = (sid, listener) => {
    subscribed += 1;
    const off = subscribe(sid, listener);
    return () => {
      unsubscribed += 1;
      off();
    };
  };
  const port = Number(new URL(h.url).port);
  const N = 40;
  for (let i = 0; i < N; i++) {
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end(`GET /v1/inferences/${id}/events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
        s.destroy();
        resolve();
      });
      s.on('error', reject);
    });
  }
  await eventually(() => subscribed === N, `${subscribed} of ${N} feeds were set up`);
  await eventually(() => unsubscribed === N, `${N - unsubscribed} of ${N} feeds outlived their client`);
  assert.equal(h.api.context.streams.size, 0);
  assert.equal(await openStreams(h.url), 0);

  // A client that stays gets its feed: the current status first.
  const live = await fetch(`${h.url}/v1/inferences/${id}/events`);
  const reader = live.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.match(first, /^event: progress\ndata: .*"status":"(queued|dispatched)"/);
  assert.equal(await openStreams(h.url), 1);
  await reader.cancel();
  await eventually(async () => (await openStreams(h.url)) === 0, 'the live feed stays open after its client left');
});
