import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { CircuitStore } from '../../src/miner/circuit-store.js';
import { Miner, type MinerAdversary } from '../../src/miner/miner.js';
import { PoolBackend } from '../../src/miner/pool-backend.js';
import { loadValidatorCircuit } from '../../src/validator/circuits.js';
import { Validator, type QueryResult } from '../../src/validator/validator.js';
import { fixtureArtifacts } from '../zkml/prove-fixtures.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

// Devnet + 2 honest miners + 2 dishonest miners + 1 validator over loopback, on the small `affine` fixture
// circuit (real witness generation and Groth16 proofs in worker threads, real verification).

const NETUID = 1;
let devnet: Devnet;
let dir: string;
let dbPath: string;
let vHot: KeyringPair;
const miners: Array<{ name: string; miner: Miner; backend: PoolBackend; uid: number }> = [];
let validator: Validator;
let blockTimer: NodeJS.Timeout | undefined;
const results: QueryResult[] = [];

function startBlocks(ms = 150): void {
  blockTimer = setInterval(() => devnet.produceBlock(), ms);
}
function stopBlocks(): void {
  if (blockTimer) clearInterval(blockTimer);
  blockTimer = undefined;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, limitMs = 120_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function uidStats(uid: number): { verified: number; failed: number } {
  const rs = results.filter((r) => r.uid === uid);
  return { verified: rs.filter((r) => r.verified).length, failed: rs.filter((r) => !r.verified).length };
}

before(async () => {
  await cryptoWaitReady();
  ({ dir } = await fixtureArtifacts('affine', 'affine-e2e'));
  dbPath = join(mkdtempSync(join(tmpdir(), 'zk-e2e-')), 'validator.sqlite');
  devnet = await Devnet.open({ fast: true, hyperparameters: { tempo: 10, weightsRateLimit: 3 } });
  const { keyring: k, cold, validator } = await stakedValidator(devnet, { netuid: NETUID, coldUri: '//E2eColdkey', validatorUri: '//E2eValidator', faucetTao: 10_000, stakeTao: 1000 });
  vHot = validator;
  const behaviours: Array<[string, MinerAdversary | undefined]> = [
    ['honest-1', undefined],
    ['honest-2', undefined],
    // A valid proof, but for other inputs than the validator asked for.
    ['wrong-inputs', { inputs: (x) => Object.fromEntries(Object.entries(x).map(([n, v]) => [n, v.map((e) => e + 0.5)])) }],
    // The output public signal changed after proving.
    ['tampered-output', { output: (r) => ({ ...r, publicSignals: r.publicSignals.map((s, i) => (i === 0 ? (BigInt(s) + 1n).toString() : s)) }) }],
  ];
  for (const [name, adversary] of behaviours) {
    const hot = k.addFromUri(`//E2eMiner/${name}`);
    const { uid } = await devnet.burnedRegister(NETUID, cold, hot.address);
    devnet.produceBlock();
    const circuits = new CircuitStore();
    await circuits.add(dir, { capacity: 1 });
    const backend = new PoolBackend({ size: 1 });
    const miner = new Miner({ hotkey: hot, chain: devnet, netuid: NETUID, circuits, backend, ...(adversary ? { adversary } : {}) });
    await miner.start();
    miners.push({ name, miner, backend, uid });
  }
});

after(async () => {
  stopBlocks();
  await validator?.stop().catch(() => undefined);
  validator?.close();
  for (const m of miners) {
    await m.miner.stop().catch(() => undefined);
    await m.backend.close();
  }
  await devnet.close();
  await releaseSnarkjsCurve();
});

test('honest miners are verified and earn incentive; wrong-input and tampered-output miners are scored down', async () => {
  const circuit = await loadValidatorCircuit(dir, { timeoutS: 30, allowInsecureDev: true });
  validator = new Validator({ hotkey: vHot, chain: devnet, netuid: NETUID, dbPath, circuits: [circuit], concurrency: 4, seed: 7 });
  validator.on('result', (r) => { results.push(r); });
  await validator.start();
  startBlocks();
  const [h1, h2, bad1, bad2] = miners;
  await until('every miner queried several times', () => miners.every((m) => uidStats(m.uid).verified + uidStats(m.uid).failed >= 3));
  assert.ok(uidStats(h1!.uid).verified >= 3 && uidStats(h1!.uid).failed === 0, JSON.stringify({ ...uidStats(h1!.uid), errors: results.filter((r) => r.uid === h1!.uid).map((r) => r.error) }));
  assert.ok(uidStats(h2!.uid).verified >= 3 && uidStats(h2!.uid).failed === 0);
  assert.equal(uidStats(bad1!.uid).verified, 0);
  assert.equal(uidStats(bad2!.uid).verified, 0);
  assert.ok(results.some((r) => r.uid === bad1!.uid && /not for the verifier's inputs/.test(r.error ?? '')), 'wrong-input proofs are detected by binding the inputs');
  assert.ok(results.some((r) => r.uid === bad2!.uid && /does not verify/.test(r.error ?? '')));
  // answers of one circuit are verified in batches (docs/network.md): batches held several miners' answers,
  // good and bad together, and still only the bad miners failed
  const { batches, proofs } = validator.batcher.stats;
  assert.ok(proofs > batches, `${proofs} proofs in ${batches} batches: none was batched`);
  const scores = validator.scores();
  assert.ok((scores.get(h1!.uid) ?? 0) > 0 && (scores.get(h2!.uid) ?? 0) > 0);
  assert.equal(scores.get(bad1!.uid) ?? 0, 0);
  assert.equal(scores.get(bad2!.uid) ?? 0, 0);

  // Weights are set on chain, then an epoch turns them into incentive.
  let weightsBlock = -1;
  validator.once('weights', (w) => { weightsBlock = w.block; });
  await until('weights set', () => weightsBlock >= 0);
  const tempo = (await devnet.hyperparameters(NETUID)).tempo;
  await until('an epoch after the weights', async () => (await devnet.currentBlock()) > weightsBlock + tempo + 2);
  const m = await devnet.metagraph(NETUID);
  assert.ok(m.incentive[h1!.uid]! > 0 && m.incentive[h2!.uid]! > 0, `incentive ${m.incentive.join(',')}`);
  assert.ok(m.incentive[bad1!.uid]! < m.incentive[h1!.uid]!);
  assert.ok(m.incentive[bad2!.uid]! < m.incentive[h1!.uid]!);
  assert.ok(m.emission[h1!.uid]! > m.emission[bad1!.uid]!);
  const w = validator.lastWeights();
  assert.ok(w.get(h1!.uid)! > 0 && !w.has(bad1!.uid) && !w.has(bad2!.uid));
});

test('a restarted validator keeps its scores, request log and weights state', async () => {
  stopBlocks();
  await validator.stop();
  const before = validator.scores();
  const weights = validator.lastWeights();
  const requests = validator.store.recentRequests(10_000).length;
  validator.close();
  const circuit = await loadValidatorCircuit(dir, { timeoutS: 30, allowInsecureDev: true });
  validator = new Validator({ hotkey: vHot, chain: devnet, netuid: NETUID, dbPath, circuits: [circuit], concurrency: 4 });
  assert.deepEqual(validator.scores(), before);
  assert.deepEqual(validator.lastWeights(), weights);
  assert.equal(validator.store.recentRequests(10_000).length, requests);
  assert.ok(requests > 0);
});

test('a miner killed mid-request is recorded as failed and the network keeps going', async () => {
  validator.on('result', (r) => results.push(r));
  await validator.start();
  startBlocks();
  const victim = miners[0]!;
  const other = miners[1]!;
  await until('victim proving a request', () => victim.miner.axon.gate.active > 0, 60_000);
  const failedBefore = uidStats(victim.uid).failed;
  const scoreBefore = validator.scores().get(victim.uid) ?? 0;
  await victim.miner.axon.kill();
  await until('the killed request is recorded', () => uidStats(victim.uid).failed > failedBefore);
  const fail = results.filter((r) => r.uid === victim.uid && !r.verified).at(-1)!;
  assert.ok([503, 408].includes(fail.status), `status ${fail.status}: ${fail.error}`);
  assert.ok((validator.scores().get(victim.uid) ?? 0) < scoreBefore);
  const otherVerified = uidStats(other.uid).verified;
  await until('the other miner is still verified', () => uidStats(other.uid).verified > otherVerified);
});
