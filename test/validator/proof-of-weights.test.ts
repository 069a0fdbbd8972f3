// Proof of weights end to end (issue #14 item 2) over loopback on the devnet: each weights epoch the validator
// sends its score-update inputs to a miner as ProofOfWeightsSynapse for the scoring-ema circuit (compiled by the
// engine, cached), verifies the proof with its own inputs, stores the record, and sets exactly the weights the
// proven scores imply; GET /v1/proof-of-weights serves the records; `zkinfer verify-weights` (the real CLI,
// through the devnet's RPC server) exits 0, and 1 once the validator's weights on chain are not the proven ones.
// The validator runs a competition (share 0.5): its miners' competition scores are inputs of each proof (the
// output_score row) and the weights set are the proven blend (provenWeights), which verify-weights recomputes.
// The subnet has 19 uids besides the validator (2 miners around 17 idle hotkeys), more than the circuit's 16
// columns: each epoch is two chunk proofs (uids 1..16 and 17..19), the second miner's weight comes from the second
// chunk, and verify-weights fails when one chunk's proof is for other inputs.
import { after, before, test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { serveDevnet, type DevnetServer } from '../../src/chain/rpc/server.js';
import { compileZooModel } from '../../src/models/compiled.js';
import { cacheDir } from '../../src/models/paths.js';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { rankEntries, type Leaderboard } from '../../src/competition/leaderboard.js';
import { blendScores } from '../../src/validator/competition-scores.js';
import { POW_LIST_MAX, PowRecordListSchema, provenWeights, type PowChunk } from '../../src/validator/pow-records.js';
import { weightsForEmit } from '../../src/validator/scoring.js';
import { NETUID, startNetwork, type TestNetwork } from '../api/network.js';
import { endSnarkjs } from '../api/harness.js';
import { zkinferAsync as zkinfer } from '../zkml/prove-fixtures.js';

let net: TestNetwork;
let rpc: DevnetServer;

/** A leaderboard on which miner 0 (//ApiTestMiner/0, test/api/network.ts) scores 0.9 and miner 1 scores 0.2. */
const COMP = [0.9, 0.2];
function board(): Leaderboard {
  const k = new Keyring({ type: 'sr25519' });
  const entry = (i: number) => ({ hotkey: k.addFromUri(`//ApiTestMiner/${i}`).address, circuit_id: 'a'.repeat(64), committed_block: 1, status: 'scored' as const, verified: 4, failed: 0, score: COMP[i]! });
  return { task: 'staking-duration', metric: 'mae_days', block: 1, evaluated_at: Date.now(), items: 4, entries: rankEntries([entry(0), entry(1)]) };
}

before(async () => {
  await cryptoWaitReady();
  const compiled = await compileZooModel('scoring-ema', { outDir: cacheDir('test-models', 'scoring-ema') });
  const boards = [board()];
  net = await startNetwork({ miners: 2, idleUids: 17, proofOfWeightsDir: compiled.dir, benchmarkIntervalMs: 200, competition: { share: 0.5, leaderboards: () => boards } });
  rpc = await serveDevnet(net.devnet);
});
after(async () => {
  await rpc?.close();
  await net?.close();
  await endSnarkjs();
});

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, limitMs = 150_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('the validator proves its score update each epoch, stores it, and sets exactly the proven weights', async () => {
  const results: Array<{ source: string; verified: boolean; uid: number }> = [];
  net.validator.on('result', (r) => results.push(r));
  const pow = net.validator.pow!;
  const rec = await until('a proof-of-weights record with weights set', () => pow.records.list(5).find((r) => r.status === 'set'));
  // every uid but the validator's is in exactly one chunk of at most 16, in uid order
  const allUids = rec.chunks.flatMap((c) => c.uids);
  const m = await net.devnet.metagraph(NETUID);
  assert.deepEqual(allUids, [...Array(m.n).keys()].filter((u) => m.hotkeys[u] !== net.validatorHotkey.address));
  assert.equal(allUids.length, 19);
  assert.deepEqual(rec.chunks.map((c) => c.uids.length), [16, 3]);
  assert.ok(rec.chunks[1]!.uids.includes(net.minerUids[1]!), 'the second miner is in the second chunk');
  // the competition scores are inputs of each chunk's proof (row 4, output_score), by uid
  for (const c of rec.chunks) {
    const batch = c.inputs.length / 5;
    c.uids.forEach((u, j) => assert.equal(c.inputs[4 * batch + j], COMP[net.minerUids.indexOf(u)] ?? 0));
    assert.ok(net.minerUids.includes(c.miner_uid));
    assert.ok(c.scores.every((s) => s >= 0 && s <= 1));
  }
  // the weights are the proven scores blended with them, and they are the ones on chain
  const implied = provenWeights(rec);
  assert.deepEqual({ uids: rec.weight_uids, weights: rec.weights }, implied);
  const col = (f: (c: PowChunk, j: number) => number) => new Map(rec.chunks.flatMap((c) => c.uids.map((u, j) => [u, f(c, j)] as [number, number])));
  const blend = blendScores(col((c, j) => c.scores[j]!), col((c, j) => c.inputs[4 * (c.inputs.length / 5) + j]!), 0.5);
  assert.deepEqual(implied, weightsForEmit(blend));
  assert.ok(rec.weight_uids.includes(net.minerUids[1]!), 'the uid proven by the second chunk has a weight');
  const vUid = (await net.devnet.uidOf(NETUID, net.validatorHotkey.address))!;
  assert.deepEqual(await net.devnet.weights(NETUID, vUid), rec.weight_uids.map((u, i) => [u, rec.weights[i]]));
  assert.equal(rec.validator_hotkey, net.validatorHotkey.address);
  // the prover was scored for it like for any other proof
  await until('the proof-of-weights answer scored', () => (net.validator.store.recentRequests(500).some((r) => r.source === 'proof-of-weights' && r.verified && r.uid === rec.chunks[0]!.miner_uid) ? true : undefined));

  // served newest first by the API, in the zod schema of the wire
  await until('a second record', () => (pow.records.list(5).length >= 2 ? true : undefined));
  const res = await fetch(`${net.url}/v1/proof-of-weights?limit=5`);
  assert.equal(res.status, 200);
  const { records } = PowRecordListSchema.parse(await res.json());
  assert.ok(records.length >= 2);
  for (let i = 1; i < records.length; i++) assert.ok(records[i - 1]!.id > records[i]!.id && records[i - 1]!.epoch > records[i]!.epoch, 'newest first');
  // the records chain: each epoch starts from the previous record's proven scores
  const [newer, older] = [records[0]!, records[1]!];
  const olderScore = new Map(older.chunks.flatMap((c) => c.uids.map((u, j) => [u, c.scores[j]!] as [number, number])));
  for (const c of newer.chunks) c.uids.forEach((u, j) => { if (olderScore.has(u)) assert.equal(c.inputs[j], olderScore.get(u)); });
  assert.equal((await fetch(`${net.url}/v1/proof-of-weights?limit=0`)).status, 400);
  assert.equal((await fetch(`${net.url}/v1/proof-of-weights?limit=${POW_LIST_MAX + 1}`)).status, 400);
  assert.match((await fetch(`${net.url}/v1/proof-of-weights`)).headers.get('content-type') ?? '', /^application\/json/);
});

test('zkinfer verify-weights: exit 0 while the chain holds the proven weights, 1 when it does not', async () => {
  await net.validator.stop(); // its API keeps serving the records
  const ok = await zkinfer(['verify-weights', '--validator', net.url, '--network', rpc.url]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /ok {2}proof verifies/);
  assert.match(ok.stdout, /^valid$/m);
  assert.match(ok.stdout, /ok {2}chunk 1 \(uids 17,18,19\)/);

  // a lying validator API (the real one behind it, its proof-of-weights answer replaced): one chunk's proof swapped
  // for the other chunk's (a valid proof, but for other inputs), then chunk 0 served twice (each proof valid for its
  // own inputs: uids in two chunks, and chunk 1's uids unproven)
  const rec = net.validator.pow!.records.list(POW_LIST_MAX).find((r) => r.status === 'set')!;
  const [c0, c1] = rec.chunks as [PowChunk, PowChunk];
  const swapped = await withLyingApi({ ...rec, chunks: [c0, { ...c1, proof: c0.proof, public_signals: c0.public_signals }] },
    (url) => zkinfer(['verify-weights', '--validator', url, '--network', rpc.url]));
  const twice = await withLyingApi({ ...rec, chunks: [c0, c0] }, (url) => zkinfer(['verify-weights', '--validator', url, '--network', rpc.url]));
  assert.equal(twice.code, 1, twice.stdout + twice.stderr);
  assert.match(twice.stdout, /problem: uid 1 is in more than one chunk/);
  assert.match(twice.stdout, /FAIL {2}weights are what the proven scores imply/);
  assert.equal(swapped.code, 1, swapped.stdout + swapped.stderr);
  assert.match(swapped.stdout, /ok {2}chunk 0 /);
  assert.match(swapped.stdout, /FAIL {2}chunk 1 \(uids 17,18,19\)/);
  assert.match(swapped.stdout, /^INVALID$/m);

  // the validator's hotkey sets other weights than the proven ones
  const vUid = (await net.devnet.uidOf(NETUID, net.validatorHotkey.address))!;
  const hp = await net.devnet.hyperparameters(NETUID);
  const last = (await net.devnet.metagraph(NETUID)).lastUpdate[vUid]!;
  await until('the weights rate limit', async () => ((await net.devnet.currentBlock()) >= last + hp.weightsRateLimit ? true : undefined));
  await net.devnet.setWeights(net.validatorHotkey, { netuid: NETUID, uids: [net.minerUids[0]!], weights: [65535], versionKey: 1 << 30 });
  const bad = await zkinfer(['verify-weights', '--validator', net.url, '--network', rpc.url]);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /FAIL {2}weights on chain/);

  const unreachable = await zkinfer(['verify-weights', '--validator', 'http://127.0.0.1:9', '--network', rpc.url]);
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.stderr, /cannot reach the validator API/);
});

/** Run `fn` against a validator API that forwards to the real one but answers `/v1/proof-of-weights` with `record` alone. */
async function withLyingApi<T>(record: unknown, fn: (url: string) => Promise<T>): Promise<T> {
  const lying = createServer((req, res) => {
    if (req.url?.startsWith('/v1/proof-of-weights')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ records: [record] }));
      return;
    }
    void fetch(`${net.url}${req.url ?? '/'}`).then(async (up) => {
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await up.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => lying.listen(0, '127.0.0.1', resolve));
  try {
    return await fn(`http://127.0.0.1:${(lying.address() as AddressInfo).port}`);
  } finally {
    lying.close();
  }
}
