// The API's read side against hostile readers and writers, from outside over 127.0.0.1 (docs/api.md, "HTTP API"):
// hostile paths and query strings; stored inferences bounded in time; clients that drop an SSE feed at once, with
// the shared queue in a real redis-server (skipped with a reason without it).
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

test('hostile paths and query strings on the read routes: each a 4xx in the API\'s error shape, and the API keeps serving', async () => {
  const h = await startApi({ config: OPEN });
  servers.push(h);
  const long = 'a'.repeat(5000);
  const cases: Array<[string, number, string]> = [
    [`/v1/inferences/${long}`, 414, 'URI_TOO_LONG'],
    [`/v1/inferences/${long}/events`, 414, 'URI_TOO_LONG'],
    [`/v1/circuits/${'a'.repeat(101)}/vk`, 414, 'URI_TOO_LONG'],
    [`/v1/competitions/${'x'.repeat(300)}/leaderboard`, 414, 'URI_TOO_LONG'],
    ['/v1/inferences/%ff%fe', 400, 'BAD_REQUEST'],
    ['/%c0%af', 400, 'BAD_REQUEST'],
    ['/assets/x%ff.js', 400, 'BAD_REQUEST'],
    ['/v1/inferences/..%2f..%2fetc%2fpasswd', 404, 'NOT_FOUND'],
    ['/assets/..%2f..%2fpackage.json', 404, 'NOT_FOUND'],
    ['/v1/circuits/__proto__', 404, 'NOT_FOUND'],
    ['/v1/competitions/constructor/leaderboard', 404, 'NOT_FOUND'],
    ['/v1/inferences?limit=999999999999', 400, 'BAD_REQUEST'],
    ['/v1/inferences?limit=-1', 400, 'BAD_REQUEST'],
    ['/v1/inferences?limit=NaN', 400, 'BAD_REQUEST'],
    ['/v1/inferences?limit=1&limit=2', 400, 'BAD_REQUEST'],
    ['/v1/inferences?limit=', 400, 'BAD_REQUEST'],
    ['/v1/inferences?limit=2.5', 400, 'BAD_REQUEST'],
    [`/v1/inferences?source=${'s'.repeat(81)}`, 400, 'BAD_REQUEST'],
    ['/v1/inferences?source=a&source=b', 400, 'BAD_REQUEST'],
  ];
  for (const [path, status, code] of cases) {
    const res = await fetch(`${h.url}${path}`);
    const text = await res.text();
    assert.equal(res.status, status, `${path.slice(0, 60)}: ${text.slice(0, 200)}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, path.slice(0, 60));
    const body = JSON.parse(text) as { error: { code: string; message: string } };
    assert.equal(body.error.code, code, `${path.slice(0, 60)}: ${text.slice(0, 200)}`);
    assert.equal(typeof body.error.message, 'string');
    assert.ok(text.length < 1000, `${path.slice(0, 60)}: a ${text.length}-character answer`);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path.slice(0, 60));
  }
  const ok = await fetch(`${h.url}/v1/inferences?limit=200&source=external`);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { inferences: [] });
});

test('the stored inferences do not grow for good: a submission deletes finished ones submitted over 7 days ago, with their metadata', async () => {
  const h = await startApi({ config: OPEN });
  servers.push(h);
  const submit = async (): Promise<string> => {
    const res = await fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'affine', input: { x: [1, 2, 3] } }) });
    assert.equal(res.status, 202);
    return ((await res.json()) as { id: string }).id;
  };
  const status = async (id: string): Promise<number> => (await fetch(`${h.url}/v1/inferences/${id}`)).status;
  // Four requests: failed, failed, still queued — all submitted 8 days ago — and one failed just now.
  const ids = [await submit(), await submit(), await submit(), await submit()];
  for (const id of [ids[0], ids[1], ids[3]]) h.queue.fail(id!, 'miner 3: no proof');
  const eightDaysAgo = Date.now() - 8 * 24 * 3600 * 1000;
  for (const id of ids.slice(0, 3)) h.db.prepare('UPDATE external_requests SET created_at = ?, updated_at = ? WHERE id = ?').run(eightDaysAgo, eightDaysAgo, id);
  for (const id of ids) assert.equal(await status(id), 200);

  const fresh = await submit();
  assert.deepEqual(await Promise.all([...ids, fresh].map(status)), [404, 404, 200, 200, 200], 'the old finished ones are gone; queued and recent ones stay');
  const meta = (h.db.prepare('SELECT id FROM api_request_meta').all() as Array<{ id: string }>).map((r) => r.id).sort();
  assert.deepEqual(meta, [ids[2], ids[3], fresh].sort(), 'the metadata of the deleted ones went with them');
});

test('SSE feeds are bounded (maxStreams): one more answers 503 in the error shape, a feed that ends frees its place', async () => {
  const h = await startApi({ config: { ...OPEN, maxStreams: 3 } });
  servers.push(h);
  const res = await fetch(`${h.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'affine', input: { x: [1, 2, 3] } }) });
  const { id } = (await res.json()) as { id: string };
  const open = async (): Promise<Response> => fetch(`${h.url}/v1/inferences/${id}/events`);
  const feeds = [await open(), await open(), await open()];
  for (const f of feeds) assert.equal(f.status, 200);
  const refused = await open();
  assert.equal(refused.status, 503);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'UNAVAILABLE');
  assert.equal(await openStreams(h.url), 3);
  await feeds[0]!.body!.cancel();
  await eventually(async () => (await openStreams(h.url)) === 2, 'a cancelled feed stays counted');
  const again = await open();
  assert.equal(again.status, 200);
  for (const f of [...feeds.slice(1), again]) await f.body!.cancel();
});

test('GET /v1/network does not write the history: a reader polling fast cannot push the sampled points out', async () => {
  // A network whose state changes between any two reads (each overview is a new block).
  let block = 0;
  const network = { overview: async () => ({ netuid: 1, block: ++block, verified: block, failed: 0, miners: [] }) };
  const h = await startApi({ config: { ...OPEN, historyIntervalS: 3600 }, network });
  servers.push(h);
  const read = async (): Promise<{ block: number; history: unknown[] }> => (await (await fetch(`${h.url}/v1/network`)).json()) as { block: number; history: unknown[] };
  const first = await read();
  for (let i = 0; i < 50; i++) await read();
  const last = await read();
  assert.equal(last.history.length, first.history.length, 'the history grew by one point per read');
  assert.equal(last.history.length, 1, 'one sample: the one taken at start (the next is an hour away)');
  assert.equal(last.block, first.block);
});

test('GET /v1/network is serialized once per sample; ?since= returns only the newer history points, ?points= a spread of them', async () => {
  let block = 0;
  const miners = Array.from({ length: 64 }, (_, uid) => ({ uid, hotkey: `hk${uid}`, score: 0.5, weight: 0.1, incentive: 0.1, verified: 1, failed: 0 }));
  const network = { overview: async () => ({ netuid: 1, block: ++block, verified: block, failed: 0, miners }) };
  const h = await startApi({ config: { ...OPEN, historyIntervalS: 3600 }, network });
  servers.push(h);
  const history = h.api.context.history!;
  for (let i = 0; i < 4; i++) { await new Promise((r) => setTimeout(r, 2)); await history.sample(); } // 5 points, apart in time
  const jsonSince = history.jsonSince.bind(history);
  let built = 0;
  history.jsonSince = (since, points) => { if (since === -Infinity && points === undefined) built += 1; return jsonSince(since, points); };
  type View = { block: number; history: Array<{ at: number; block: number }> };
  const read = async (q = ''): Promise<View> => {
    const res = await fetch(`${h.url}/v1/network${q}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    return (await res.json()) as View;
  };
  const first = await read();
  assert.equal(first.history.length, 5);
  for (let i = 0; i < 20; i++) assert.deepEqual(await read(), first);
  assert.equal(built, 1, 'the answer was built again for a read of the same sample');
  await new Promise((r) => setTimeout(r, 2));
  await history.sample();
  const next = await read();
  assert.equal(next.history.length, 6);
  assert.equal(built, 2);
  const since = next.history[3]!.at;
  assert.deepEqual((await read(`?since=${since}`)).history, next.history.filter((p) => p.at > since));
  assert.equal((await read(`?since=${Date.now() + 60_000}`)).history.length, 0);
  // any ?since= is the points' JSON made when they were sampled, written as they are: the answer is not built again
  assert.deepEqual(await read('?since=1'), next);
  assert.equal(built, 2, '?since= built the answer again');
  for (const at of [0, ...next.history.map((p) => p.at), Date.now()]) {
    assert.equal(Buffer.concat(history.jsonSince(at)).toString(), JSON.stringify(history.list().filter((p) => p.at > at)));
  }
  // ?points=N: at most N points, evenly spaced, the oldest and the newest included; with ?since=, of the newer ones
  const all = history.list();
  assert.deepEqual((await read('?points=3')).history, [all[0], all[3], all[5]]);
  assert.deepEqual((await read('?points=2')).history, [all[0], all[5]]);
  assert.deepEqual((await read('?points=720')).history, all);
  assert.deepEqual((await read(`?since=${all[1]!.at}&points=2`)).history, [all[2], all[5]]);
  assert.equal(built, 2, '?points= built the answer again');
  for (const bad of ['?since=abc', '?since=-1', '?since=1.5', '?points=1', '?points=721', '?points=x', '?points=2.5']) {
    const res = await fetch(`${h.url}/v1/network${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST');
  }
});

test('a client polling GET /v1/network with historySince/mergeHistory holds exactly the API\'s history, newest point replaced or not', async () => {
  const { ZkinferClient, historySince, mergeHistory } = await import('../../src/client/index.js');
  let block = 0, verified = 0;
  const network = { overview: async () => ({ netuid: 1, block, verified, failed: 0, miners: [] }) };
  const h = await startApi({ config: { ...OPEN, historyIntervalS: 3600 }, network });
  servers.push(h);
  const history = h.api.context.history!;
  const client = new ZkinferClient({ url: h.url });
  let held = (await client.network()).history;
  for (let i = 0; i < 40; i++) {
    // every third sample leaves block and counts as they were: the API replaces its newest point then
    if (i % 3 !== 0) { block += 1; verified += i % 2; }
    await new Promise((r) => setTimeout(r, 2));
    await history.sample();
    const since = historySince(held);
    const answer = await client.network({ since });
    if (since !== undefined) assert.ok(answer.history.length <= 3, `${answer.history.length} points sent for one new sample`);
    held = mergeHistory(held, answer.history, since, 25);
    assert.deepEqual(held, history.list().slice(-25), `after sample ${i}`);
  }
  // a thinned first load (the dashboard's), then polls: the thinned points are kept, and from the one before the
  // newest on (the first poll's `since`) the API's points are held in full
  const first = (await client.network({ points: 4 })).history;
  assert.equal(first.length, 4);
  assert.deepEqual([first[0], first[3]], [history.list()[0], history.list().at(-1)]);
  held = first;
  for (let i = 0; i < 3; i++) {
    block += 1;
    await new Promise((r) => setTimeout(r, 2));
    await history.sample();
    const since = historySince(held);
    const answer = await client.network({ since });
    if (i > 0) assert.ok(answer.history.length <= 3, `${answer.history.length} points sent for one new sample`);
    held = mergeHistory(held, answer.history, since);
  }
  assert.deepEqual(held, [...first.slice(0, 3), ...history.list().filter((p) => p.at > first[2]!.at)]);
});

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

test('listing one source on the Redis queue reads that source\'s jobs only, newest first, also once jobs are gone', { skip: skipWithoutRedis, timeout: 60_000 }, async () => {
  const { Redis } = await import('ioredis');
  const { RedisInferenceService } = await import('../../src/api/redis-inferences.js');
  const conn = () => new Redis(redis!.url, { maxRetriesPerRequest: null });
  const producer = conn(), events = conn(), probe = conn();
  const service = new RedisInferenceService(producer, events, { maxPending: 100_000, keepS: 3600 });
  try {
    await service.ready();
    const req = (source: string) => ({ circuitId: 'c'.repeat(64), input: { x: [1] }, tensors: { x: [1] }, source });
    const mine: string[] = [];
    for (let i = 0; i < 600; i++) await service.submit(req('external'));
    for (let i = 0; i < 5; i++) { mine.push((await service.submit(req('custom:nightly'))).id); await new Promise((r) => setTimeout(r, 2)); }
    const jobReads = async () => Number(/cmdstat_hgetall:calls=(\d+)/.exec(await probe.info('commandstats'))?.[1] ?? 0);
    const before = await jobReads();
    const list = await service.list({ limit: 20, source: 'custom:nightly' });
    assert.deepEqual(list.map((r) => r.id), [...mine].reverse());
    assert.ok(list.every((r) => r.source === 'custom:nightly'));
    const read = (await jobReads()) - before;
    assert.ok(read <= 10, `${read} jobs read from Redis to list 5 (600 of another source queued)`);
    // a job removed from the queue is left out of the list and of the index
    await probe.del(`zkinfer:api:external:${mine[4]}`);
    assert.deepEqual((await service.list({ limit: 20, source: 'custom:nightly' })).map((r) => r.id), mine.slice(0, 4).reverse());
    assert.equal(await probe.zcard('zkinfer:api:external:by-source:custom:nightly'), 4);
  } finally {
    await service.close();
    for (const c of [producer, events, probe]) c.disconnect();
  }
});
