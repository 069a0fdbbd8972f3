// Competition scores feed the validator's weights (issue #14, docs/competitions.md "Weights"): leaderboard
// entries scored with the task's own formula (taskScoring → responseQuality, ranked by rankEntries), saved and
// reopened as a validator's boards, blended into a real Validator's score table on the devnet: with equal
// benchmark scores, the miner ranked first in the competition gets the larger weight on chain.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { CompetitionBoards } from '../../src/competition/boards.js';
import { taskScoring } from '../../src/competition/evaluate.js';
import { rankEntries, type Leaderboard, type LeaderboardEntry } from '../../src/competition/leaderboard.js';
import { getCompetitionTask } from '../../src/competition/tasks.js';
import { competitionWindow } from '../../src/competition/window.js';
import { blendScores, competitionScores, competitionShare } from '../../src/validator/competition-scores.js';
import { responseQuality } from '../../src/validator/scoring.js';
import { Validator } from '../../src/validator/validator.js';
import { InvalidInputError } from '../../src/errors/base.js';
import { zkinferAsync as zkinfer } from '../zkml/prove-fixtures.js';
import { stakedValidator } from '../chain/devnet-fixtures.js';

const NETUID = 1;
const task = getCompetitionTask('staking-duration');
let devnet: Devnet;
let tmp: string;
let vHot: KeyringPair;
let miners: KeyringPair[];
let uids: number[];

before(async () => {
  await cryptoWaitReady();
  tmp = mkdtempSync(join(tmpdir(), 'zk-comp-weights-'));
  devnet = await Devnet.open({ fast: true, hyperparameters: { tempo: 2, weightsRateLimit: 1 } });
  const { keyring: k, cold, validator } = await stakedValidator(devnet, { netuid: NETUID, coldUri: '//CompWeightsCold', validatorUri: '//CompWeightsValidator', faucetTao: 10_000, stakeTao: 1000 });
  vHot = validator;
  miners = [k.addFromUri('//CompWeightsMiner/0'), k.addFromUri('//CompWeightsMiner/1')];
  uids = [];
  for (const m of miners) uids.push((await devnet.burnedRegister(NETUID, cold, m.address)).uid);
  const vUid = (await devnet.uidOf(NETUID, vHot.address))!;
  for (let i = 0; i < 20 && !(await devnet.metagraph(NETUID)).validatorPermit[vUid]; i++) devnet.produceBlock();
  assert.ok((await devnet.metagraph(NETUID)).validatorPermit[vUid], 'validator permit after an epoch');
});
after(async () => {
  await devnet?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** An entry scored as the evaluation does: the task's weights in the validator's formula, × verified/count. */
function scored(hotkey: string, outputScore: number, rtS: number): LeaderboardEntry {
  const q = responseQuality({ rt: rtS, proofSize: 800, outputScore, bounds: { minRt: 1, maxRt: 3 } }, taskScoring(task));
  return { hotkey, circuit_id: 'a'.repeat(64), committed_block: 1, status: 'scored', verified: 4, failed: 0, output_score: outputScore, proof_bytes: 800, prove_ms_median: rtS * 1000, score: q };
}

function board(entries: LeaderboardEntry[]): Leaderboard {
  return { task: task.name, metric: 'mae_days', block: 5, evaluated_at: Date.now(), items: 4, entries: rankEntries(entries) };
}

test('the share from the flags: default 0.5 with --competition (also with proof of weights), bad values refused', () => {
  assert.equal(competitionShare({ tasks: [], raw: undefined }), 0);
  assert.equal(competitionShare({ tasks: ['staking-duration'], raw: undefined }), 0.5);
  assert.equal(competitionShare({ tasks: ['staking-duration'], raw: '0.25' }), 0.25);
  assert.equal(competitionShare({ tasks: ['staking-duration'], raw: '0' }), 0);
  for (const raw of ['2', '-0.1', 'half', '']) assert.throws(() => competitionShare({ tasks: ['staking-duration'], raw }), InvalidInputError);
  assert.throws(() => competitionShare({ tasks: [], raw: '0.5' }), /needs at least one --competition/);
});

test('blend: both sides normalised, the share splits the mass; no competition score leaves the benchmark alone', () => {
  const bench = new Map([[1, 0.002], [2, 0.002], [3, 0.004]]);
  assert.deepEqual(blendScores(bench, new Map(), 0.5), bench);
  const b = blendScores(bench, new Map([[1, 0.9], [2, 0.3]]), 0.5);
  assert.ok(Math.abs(b.get(1)! - (0.125 + 0.375)) < 1e-12 && Math.abs(b.get(2)! - (0.125 + 0.125)) < 1e-12 && Math.abs(b.get(3)! - 0.25) < 1e-12);
  assert.ok(Math.abs([...b.values()].reduce((a, v) => a + v, 0) - 1) < 1e-12);
  // no benchmark score yet: the competition alone
  const c = blendScores(new Map(), new Map([[1, 0.6], [2, 0.2]]), 0.3);
  assert.ok(Math.abs(c.get(1)! - 0.75) < 1e-12 && Math.abs(c.get(2)! - 0.25) < 1e-12);
});

test('competition scores by the current hotkey of each uid, averaged over tasks; unscored entries count 0', async () => {
  const m = await devnet.metagraph(NETUID);
  const late = { ...scored(miners[1]!.address, 1, 1), status: 'late' as const };
  const s = competitionScores([board([scored(miners[0]!.address, 0.8, 1), late, scored('5Unknown', 1, 1)]), board([])], m);
  assert.deepEqual([...s.keys()], [uids[0]]);
  assert.ok(Math.abs(s.get(uids[0]!)! - board([scored(miners[0]!.address, 0.8, 1)]).entries[0]!.score / 2) < 1e-12);
});

test('stale entries expire: a board evaluated, or an entry committed, more than the age limit ago counts 0', async () => {
  const m = await devnet.metagraph(NETUID);
  const b = { ...board([scored(miners[0]!.address, 0.8, 1), { ...scored(miners[1]!.address, 0.6, 1), committed_block: 40 }]), block: 50 };
  assert.deepEqual([...competitionScores([b], m, { block: 60, maxBlocks: 100 }).keys()].sort(), [uids[0], uids[1]].sort());
  // the entry committed at block 1 is 59 blocks old: past a 30-block limit; the one committed at block 40 is not
  assert.deepEqual([...competitionScores([b], m, { block: 60, maxBlocks: 30 }).keys()], [uids[1]]);
  // the board itself evaluated 31 blocks before: everything on it is stale
  assert.equal(competitionScores([b], m, { block: 81, maxBlocks: 30 }).size, 0);
});

test('equal benchmark scores: the miner ranked first in the competition gets the larger weight on chain', async () => {
  const [winner, loser] = [miners[1]!, miners[0]!]; // the higher uid wins, so uid order cannot explain the result
  const dir = join(tmp, 'competitions');
  new CompetitionBoards([task], dir).record(board([scored(loser.address, 0.35, 2), scored(winner.address, 0.7, 2)]));
  const boards = new CompetitionBoards([task], dir); // as a restarted validator reopens them
  assert.equal(boards.leaderboard(task.name)!.entries[0]!.hotkey, winner.address);
  const v = new Validator({ hotkey: vHot, chain: devnet, netuid: NETUID, dbPath: join(tmp, 'v.sqlite'), circuits: [], competition: { share: 0.5, leaderboards: () => boards.latest() } });
  try {
    for (let i = 0; i < 2; i++) v.store.putScore(uids[i]!, miners[i]!.address, 0.004, 'verified');
    assert.equal(await v.maybeSetWeights(await devnet.currentBlock()), true);
    const vUid = (await devnet.uidOf(NETUID, vHot.address))!;
    const w = new Map(await devnet.weights(NETUID, vUid));
    const [ww, wl] = [w.get(uids[1]!)!, w.get(uids[0]!)!];
    assert.equal(ww, 65535);
    assert.ok(wl > 0 && wl < ww, `winner ${ww} > loser ${wl}`);
    // the split is the documented one: (0.5·½ + 0.5·s_w/(s_w+s_l)) vs (0.5·½ + 0.5·s_l/(s_w+s_l))
    const [sw, sl] = [boards.leaderboard(task.name)!.entries[0]!.score, boards.leaderboard(task.name)!.entries[1]!.score];
    const expect = (0.25 + 0.5 * (sl / (sw + sl))) / (0.25 + 0.5 * (sw / (sw + sl)));
    assert.ok(Math.abs(wl / ww - expect) < 1e-4, `${wl / ww} vs ${expect}`);
  } finally {
    v.close();
  }
  // share 0: the benchmark alone (equal weights)
  devnet.produceBlock();
  const v0 = new Validator({ hotkey: vHot, chain: devnet, netuid: NETUID, dbPath: join(tmp, 'v.sqlite'), circuits: [], weightsEveryBlocks: 1, competition: { share: 0, leaderboards: () => boards.latest() } });
  try {
    assert.equal(await v0.maybeSetWeights(await devnet.currentBlock()), true);
    const w = await devnet.weights(NETUID, (await devnet.uidOf(NETUID, vHot.address))!);
    assert.deepEqual(w.map(([, x]) => x), [65535, 65535]);
  } finally {
    v0.close();
  }
  // share 0.5 but the board (evaluated at block 5) is older than --competition-max-age: equal weights again
  devnet.produceBlock();
  const block = await devnet.currentBlock();
  const vOld = new Validator({ hotkey: vHot, chain: devnet, netuid: NETUID, dbPath: join(tmp, 'v.sqlite'), circuits: [], weightsEveryBlocks: 1, competition: { share: 0.5, leaderboards: () => boards.latest(), maxAgeBlocks: block - 6 } });
  try {
    assert.equal(await vOld.maybeSetWeights(block), true);
    const w = await devnet.weights(NETUID, (await devnet.uidOf(NETUID, vHot.address))!);
    assert.deepEqual(w.map(([, x]) => x), [65535, 65535]);
  } finally {
    vOld.close();
  }
});

test('zkinfer validator: a bad --competition-share, round or audit timeout is refused before anything starts', async () => {
  const r = await zkinfer(['validator', '--circuit', 'affine', '--competition', 'staking-duration', '--competition-share', '1.5']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--competition-share must be a number in \[0, 1\], got "1\.5"/);
  const r2 = await zkinfer(['validator', '--circuit', 'affine', '--competition', 'staking-duration', '--competition-start', '100', '--competition-end', '50']);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /the competition round ends at block 50, before it starts at block 100/);
  const r3 = await zkinfer(['validator', '--circuit', 'affine', '--competition', 'staking-duration', '--competition-audit-timeout', '0']);
  assert.notEqual(r3.code, 0);
  assert.match(r3.stderr, /--competition-audit-timeout must be an integer in 1\.\.86400, got "0"/);
});

test('the round: the task\'s own blocks unless overridden; a start alone keeps the task\'s length', () => {
  const c = task.competition;
  assert.deepEqual(competitionWindow(task), { start: c.startBlock, end: c.startBlock + c.deadlineBlocks });
  assert.deepEqual(competitionWindow(task, { start: 100 }), { start: 100, end: 100 + c.deadlineBlocks });
  assert.deepEqual(competitionWindow(task, { start: 100, end: 200 }), { start: 100, end: 200 });
  assert.throws(() => competitionWindow(task, { start: 100, end: 99 }), InvalidInputError);
  const summary = new CompetitionBoards([task], undefined, { start: 7, end: 9 }).summaries()[0]!;
  assert.deepEqual([summary.start_block, summary.deadline_block], [7, 9]);
});
