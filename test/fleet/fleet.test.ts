import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { CircuitStore } from '../../src/miner/circuit-store.js';
import { Miner } from '../../src/miner/miner.js';
import { FleetBackend } from '../../src/fleet/backend.js';
import { renderFleetMetrics } from '../../src/fleet/metrics.js';
import { Dendrite } from '../../src/protocol/dendrite.js';
import { SYNAPSES, type QueryForCapacities, type QueryZkProof } from '../../src/protocol/synapses.js';
import { loadArtifacts, type LoadedArtifacts } from '../../src/zkml/artifacts/index.js';
import { verifyMinerProof } from '../../src/validator/verify-proof.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { Redis } from 'ioredis';
import { beatsKey, FLEET_PREFIX, queueName } from '../../src/fleet/protocol.js';
import { encodeInputs } from '../../src/protocol/circuit-io.js';
import { fixtureArtifacts, repoRoot, zkinfer, zkinferArgv } from '../zkml/prove-fixtures.js';
import { skipWithoutRedis, startRedis, type RedisHandle } from './redis-harness.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

// One axon (a Miner with --queue semantics) + 3 `zkinfer prover-worker` child processes on a real redis-server.
const skip = skipWithoutRedis;

let redis: RedisHandle;
let devnet: Devnet;
let miner: Miner;
let fleet: FleetBackend;
let artifacts: LoadedArtifacts;
let dir: string;
let validator: KeyringPair;
let target: { ip: string; port: number; hotkey: string };
const workers: ChildProcess[] = [];
const logs: string[] = [];

function startWorker(): ChildProcess {
  const p = spawn(process.execPath, zkinferArgv(['prover-worker', '--queue', redis.url, '--circuit', `${dir}:1`, '--prover', 'snarkjs', '--lock-ms', '1500']), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  p.stdout!.on('data', (b: Buffer) => logs.push(b.toString()));
  p.stderr!.on('data', (b: Buffer) => logs.push(b.toString()));
  workers.push(p);
  return p;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${logs.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  if (skip) return;
  await cryptoWaitReady();
  dir = (await fixtureArtifacts('affine', 'affine-fleet')).dir;
  artifacts = await loadArtifacts(dir);
  redis = await startRedis();
  devnet = await Devnet.open({ fast: true });
  const v = await stakedValidator(devnet, { netuid: 1, coldUri: '//FleetTestCold', validatorUri: '//FleetTestValidator', faucetTao: 1000, stakeTao: 10 });
  const { keyring: k, cold } = v;
  validator = v.validator;
  const hot = k.addFromUri('//FleetTestMiner');
  devnet.produceBlock();
  await devnet.burnedRegister(1, cold, hot.address);
  const circuits = new CircuitStore();
  await circuits.add(dir);
  fleet = new FleetBackend({ url: redis.url, circuits, pollMs: 200, logEveryS: 0, log: (l) => logs.push(`${l}\n`) });
  await fleet.start();
  miner = new Miner({ hotkey: hot, chain: devnet, netuid: 1, circuits, backend: fleet });
  target = { ip: '127.0.0.1', port: await miner.start(), hotkey: hot.address };
});

after(async () => {
  if (skip) return;
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await miner?.stop();
  await fleet?.close();
  await devnet?.close();
  await redis?.stop();
  await releaseSnarkjsCurve();
});

const capacity = async (d: Dendrite): Promise<number | undefined> =>
  (await d.call<QueryForCapacities>(target, SYNAPSES.QueryForCapacities, {}, 5)).synapse?.capacities?.[artifacts.metadata.id];

test('fleet: no worker → capacity 0 and 503; 3 workers → capacity 3; one killed mid-proof, every request answered with a valid proof', { skip, timeout: 180_000 }, async () => {
  const d = new Dendrite(validator);
  const id = artifacts.metadata.id;
  assert.equal(await capacity(d), 0);
  const none = await d.call(target, SYNAPSES.QueryZkProof, { query_input: { model_id: id, public_inputs: { x: [1, 2, 3] } } }, 10);
  assert.equal(none.status, 503);
  assert.match(none.message, /no prover worker/);

  for (let i = 0; i < 3; i++) startWorker();
  await until('3 live workers', async () => (await capacity(d)) === 3);

  const N = 12;
  const inputs = Array.from({ length: N }, (_, i) => ({ x: [i / 4, -1 + i / 8, 0.5] }));
  let answered = 0;
  const calls = inputs.map(async (x) => {
    const r = await d.call<QueryZkProof>(target, SYNAPSES.QueryZkProof, { query_input: { model_id: id, public_inputs: x } }, 90);
    answered++;
    return r;
  });
  // Kill a worker that is proving while the others still have a backlog.
  await until('a first answer', () => answered >= 1);
  // Workers write their heartbeat when a job starts: read them straight from Redis to catch one proving.
  const probe = new Redis(redis.url);
  let busyPid: number | undefined;
  await until('a busy worker', async () => {
    const beats = Object.values(await probe.hgetall(beatsKey(id))).map((b) => JSON.parse(b) as { pid: number; active: number });
    busyPid = beats.find((b) => b.active > 0)?.pid;
    return busyPid !== undefined;
  }, 20_000);
  probe.disconnect();
  workers.find((w) => w.pid === busyPid)!.kill('SIGKILL');
  const results = await Promise.all(calls);

  for (const [i, r] of results.entries()) {
    assert.equal(r.status, 200, `request ${i}: ${r.status} ${r.message}\n${logs.join('')}`);
    const out = JSON.parse(r.synapse!.query_output!) as { proof: unknown; public_signals: string[] };
    const check = await verifyMinerProof(artifacts, out, inputs[i]!);
    assert.equal(check.valid, true, `request ${i}: ${JSON.stringify(check)}`);
  }
  assert.ok(fleet.stalled >= 1, `the killed worker's job was recovered (stalled events: ${fleet.stalled})\n${logs.join('')}`);
  await until('capacity 2 after the kill', async () => (await capacity(d)) === 2, 15_000);
  const metrics = renderFleetMetrics(fleet);
  assert.match(metrics, /zkinfer_fleet_workers_live\{circuit="[0-9a-f]{64}"\} 2/);
  const jobs = [...metrics.matchAll(/zkinfer_fleet_worker_jobs\{[^}]*\} (\d+)/g)].map((m) => Number(m[1]));
  assert.equal(jobs.length, 2);
  assert.ok(jobs.reduce((a, b) => a + b, 0) >= N - 4, metrics);
});

test('fleet: a result for a request that already ended (late or duplicate) is dropped; a worker with other artifacts refuses the job', { skip, timeout: 120_000 }, async () => {
  const id = artifacts.metadata.id;
  const circuit = { id, artifacts, capacity: 1, gate: undefined as never };
  const witness = encodeInputs(artifacts.metadata, { x: [1, 2, 3] });
  const answer = await fleet.prove(circuit, witness);
  // A second 'completed' event for a job whose request is settled, written into the queue's real event stream
  // exactly as BullMQ's moveToFinished script writes it: the miner drops it.
  const conn = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  conn.on('error', () => undefined);
  try {
    const before = fleet.lateDropped;
    const value = JSON.stringify({ ...answer, workerId: 'late', witnessMs: 1, proveMs: 1, prover: 'snarkjs' });
    await conn.xadd(`${FLEET_PREFIX}:${queueName(id)}:events`, '*', 'event', 'completed', 'jobId', 'job-that-already-ended', 'returnvalue', value, 'prev', 'active');
    await until('the late result to be dropped', () => fleet.lateDropped === before + 1, 10_000);
  } finally {
    conn.disconnect();
  }

  // The miner proves with other artifact files than the workers hold: refused by the worker, not proven.
  const other = { ...circuit, artifacts: { ...artifacts, metadata: { ...artifacts.metadata, files: { ...artifacts.metadata.files, zkey: '0'.repeat(64) } } } };
  await assert.rejects(fleet.prove(other, witness), /other artifacts for circuit .* \(zkey differ/);
});

test('prover-worker CLI: a bad --queue URL is a clear error (exit 2)', { skip }, () => {
  const r = zkinfer(['prover-worker', '--queue', 'http://127.0.0.1:6379', '--circuit', dir]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /redis:\/\/ or rediss:\/\//);
});
