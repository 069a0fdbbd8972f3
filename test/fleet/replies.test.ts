import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { CircuitStore, type ServedCircuit } from '../../src/miner/circuit-store.js';
import { FleetBackend } from '../../src/fleet/backend.js';
import { ProverWorker } from '../../src/fleet/worker.js';
import { beatsKey, FLEET_PREFIX, ProveJobDataSchema, queueName } from '../../src/fleet/protocol.js';
import { encodeInputs } from '../../src/protocol/circuit-io.js';
import { verifyMinerProof } from '../../src/validator/verify-proof.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { skipWithoutRedis, startRedis, type RedisHandle } from './redis-harness.js';

// The reply channel (docs/scale-out.md, "Design"): a real redis-server, a ProverWorker and the miner's
// FleetBackend in this process. Results come on the miner's pub/sub channel first; BullMQ's `completed` event
// still arrives (the echo, not a late result); a second result for an answered job is dropped as late.
const skip = skipWithoutRedis;

let redis: RedisHandle;
let worker: ProverWorker;
let circuits: CircuitStore;
let circuit: ServedCircuit;
const backends: FleetBackend[] = [];

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function backend(replyChannel: boolean): Promise<FleetBackend> {
  const b = new FleetBackend({ url: redis.url, circuits, pollMs: 100, logEveryS: 0, replyChannel });
  backends.push(b);
  await b.start();
  await until('the worker to be live', () => (b.fleet().get(circuit.id)?.capacity ?? 0) === 1);
  return b;
}

const input = (x: number[]): Record<string, string[]> => encodeInputs(circuit.artifacts.metadata, { x });
/** A proof checked as a validator checks it: against the inputs it was asked for. */
async function valid(r: { proof: unknown; publicSignals: string[] }, x: number[]): Promise<boolean> {
  return (await verifyMinerProof(circuit.artifacts, { proof: r.proof, public_signals: r.publicSignals }, { x })).valid;
}

before(async () => {
  if (skip) return;
  const { dir } = await fixtureArtifacts('affine', 'affine-replies');
  redis = await startRedis();
  circuits = new CircuitStore();
  circuit = await circuits.add(dir);
  worker = new ProverWorker({ url: redis.url, circuits: [{ dir, concurrency: 1 }], prover: 'snarkjs', beatMs: 200 });
  await worker.start();
});

after(async () => {
  if (skip) return;
  for (const b of backends) await b.close();
  await worker?.close();
  await redis?.stop();
  await releaseSnarkjsCurve();
});

test('reply channel: the result arrives on it first, its BullMQ echo is not a late result, a duplicate is', { skip, timeout: 60_000 }, async () => {
  const fleet = await backend(true);
  const channel = fleet.replyChannel!;
  assert.match(channel, /^zkinfer:fleet:reply:[0-9a-f-]{36}$/);
  const r = await fleet.prove(circuit, input([1, 2, 3]));
  assert.equal(await valid(r, [1, 2, 3]), true);
  const st = fleet.fleet().get(circuit.id)!;
  // The worker publishes on the reply channel before BullMQ writes `completed`, but the miner reads the two on
  // different sockets, so on a loaded machine the event can still be read first: each result is counted once,
  // on whichever path settled it, and across a few jobs the reply channel must settle some.
  assert.equal(st.via.reply + st.via.event, 1);
  assert.equal(st.hops.back.jobs, 1, 'the worker timestamps split the overhead');
  await until('the completed event (echo) to arrive', () => fleet.awaitingEcho === 0);
  assert.equal(fleet.lateDropped, 0);

  // A second result for the job (as from a worker that took it over after a stall) and garbage on the channel.
  const pub = new Redis(redis.url);
  try {
    await pub.publish(channel, JSON.stringify({ jobId: 'job-that-already-ended', result: { ...r, workerId: 'late', witnessMs: 1, proveMs: 1, prover: 'snarkjs' } }));
    await pub.publish(channel, 'not json');
    await pub.publish(channel, JSON.stringify({ result: 1 }));
  } finally {
    pub.disconnect();
  }
  await until('the late result and the malformed messages to be dropped', () => fleet.lateDropped === 1 && fleet.malformedReplies === 2);
  const again = await fleet.prove(circuit, input([4, 5, 6]));
  assert.equal(await valid(again, [4, 5, 6]), true, 'the miner keeps serving');
  assert.equal(await valid(again, [1, 2, 3]), false);
  for (const x of [7, 8, 9]) assert.equal(await valid(await fleet.prove(circuit, input([x, x, x])), [x, x, x]), true);
  assert.equal(st.via.reply + st.via.event, 5, 'each result settled once');
  assert.ok(st.via.reply >= 1, `the reply channel settled none of 5 results (${JSON.stringify(st.via)})`);
});

test('reply channel off: results come through the BullMQ event stream alone', { skip, timeout: 60_000 }, async () => {
  const fleet = await backend(false);
  assert.equal(fleet.replyChannel, undefined);
  const r = await fleet.prove(circuit, input([7, 8, 9]));
  assert.equal(await valid(r, [7, 8, 9]), true);
  assert.deepEqual(fleet.fleet().get(circuit.id)!.via, { reply: 0, event: 1 });
  assert.equal(fleet.awaitingEcho, 0);
  assert.equal(fleet.lateDropped, 0);
});

test('a malformed entry on the event stream and a heartbeat that is not JSON do not stop the miner (docs/scale-out.md)', { skip, timeout: 60_000 }, async () => {
  const logs: string[] = [];
  const fleet = new FleetBackend({ url: redis.url, circuits, pollMs: 100, logEveryS: 0, replyChannel: false, log: (l) => logs.push(l) });
  backends.push(fleet);
  await fleet.start();
  await until('the worker to be live', () => (fleet.fleet().get(circuit.id)?.capacity ?? 0) === 1);
  const r = new Redis(redis.url);
  try {
    // a `progress` whose data is not JSON ended BullMQ's reader for good: results (events only here) never came
    await r.xadd(`${FLEET_PREFIX}:${queueName(circuit.id)}:events`, '*', 'event', 'progress', 'jobId', 'x', 'data', '{oops');
    // one heartbeat that is not JSON failed every poll: capacity 0, every request 503, "Redis unreachable"
    await r.hset(beatsKey(circuit.id), 'bogus-worker', '{not json');
    await new Promise((res) => setTimeout(res, 400)); // a few polls
    assert.equal(await r.hget(beatsKey(circuit.id), 'bogus-worker'), null, 'dropped as a gone worker');
  } finally {
    r.disconnect();
  }
  assert.equal(fleet.fleet().get(circuit.id)?.capacity, 1, 'the live worker still counts');
  const p = await fleet.prove(circuit, input([3, 1, 4]), AbortSignal.timeout(20_000));
  assert.equal(await valid(p, [3, 1, 4]), true, 'the result came through the event stream');
  assert.ok(logs.some((l) => /malformed entry on the fleet's event stream/.test(l)), logs.join('\n'));
  assert.ok(!logs.some((l) => /Redis unreachable/.test(l)), logs.join('\n'));
});

test('a job may only name a reply channel of the fleet', () => {
  const job = { circuitId: 'a'.repeat(64), files: { r1cs: 'x', zkey: 'y', vk: 'z' }, signals: {} };
  assert.equal(ProveJobDataSchema.safeParse({ ...job, replyTo: 'zkinfer:fleet:reply:0f5a3c1e-8b7d-4c2a-9e6f-1d2b3c4d5e6f' }).success, true);
  assert.equal(ProveJobDataSchema.safeParse({ ...job, replyTo: 'somebody-elses-channel' }).success, false);
});
