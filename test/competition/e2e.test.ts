// Competitions end to end on a devnet (docs/competitions.md): the staking-duration task's baseline written and
// compiled by the CLI, and a deliberately poor submission (a constant prediction); both committed with
// `zkinfer competition submit`, served by real miners, evaluated by `zkinfer competition evaluate` as a
// validator (download vk + metadata, sha256(vk) = commitment, I/O check, hidden inputs, Groth16 proofs verified
// with the validator's own inputs, output-based score): the better submission ranks first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { serveDevnet, type DevnetServer } from '../../src/chain/rpc/server.js';
import { taoToRao } from '../../src/chain/types.js';
import { SubmissionMismatchError } from '../../src/competition/errors.js';
import { LeaderboardSchema } from '../../src/competition/leaderboard.js';
import { CompetitionBoards } from '../../src/competition/boards.js';
import { CompetitionRunner } from '../../src/competition/runner.js';
import { startApi } from '../api/harness.js';
import { submitCircuit } from '../../src/competition/submit.js';
import { getCompetitionTask } from '../../src/competition/tasks.js';
import { stakingLinearOnnx } from '../../src/competition/tasks/staking.js';
import { CircuitStore } from '../../src/miner/circuit-store.js';
import { Miner } from '../../src/miner/miner.js';
import { PoolBackend } from '../../src/miner/pool-backend.js';
import { Wallet } from '../../src/protocol/wallet/wallet.js';
import { releaseSnarkjsCurve } from '../../src/zkml/prove/curve.js';
import { testCache, zkinfer, zkinferArgv } from '../zkml/prove-fixtures.js';

const TASK = 'staking-duration';
const work = join(testCache, 'competition-e2e');
const env = { ZKINFER_CACHE_DIR: testCache };
const wallets = join(work, 'wallets');
let devnet: Devnet;
let server: DevnetServer;
const miners: Array<{ miner: Miner; backend: PoolBackend }> = [];
let blocks: NodeJS.Timeout | undefined;

/** The CLI in a child process without blocking this process's servers (devnet RPC, miners). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawn(process.execPath, zkinferArgv(args), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Compile with the CLI as a competitor would (artifacts cached across runs by the model's bytes). */
function compile(dir: string, onnx: string, calibration: string): string {
  const out = join(dir, 'art');
  if (existsSync(join(out, 'source', 'compile.json'))) return out; // compiled with its source kept (the audit needs it)
  const r = zkinfer(['compile', onnx, '--name', TASK, '--calibration', calibration, '--out', out], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return out;
}

const walletFlags = (hotkey: string) => ['--wallet', 'owner', '--hotkey', hotkey, '--wallet-path', wallets, '--network', server.url];
let goodArt: string;
let weakArt: string;

before(async () => {
  await cryptoWaitReady();
  mkdirSync(work, { recursive: true });
  const base = join(work, 'baseline');
  const b = zkinfer(['competition', 'baseline', TASK, '--out', base], env);
  assert.equal(b.code, 0, b.stderr);
  goodArt = compile(base, join(base, 'model.onnx'), join(base, 'calibration.json'));
  // A poor but valid submission: always predicts the longest duration (3 standard deviations above the mean, clipped to 365 days).
  const weak = join(work, 'weak');
  mkdirSync(weak, { recursive: true });
  writeFileSync(join(weak, 'model.onnx'), stakingLinearOnnx(new Array(40).fill(0), 3));
  weakArt = compile(weak, join(weak, 'model.onnx'), join(base, 'calibration.json'));

  devnet = await Devnet.open({ fast: true });
  server = await serveDevnet(devnet);
  rmSync(wallets, { recursive: true, force: true });
  const w = new Wallet({ path: wallets, name: 'owner', hotkey: 'validator' });
  await w.createColdkey(null);
  const cold = await w.coldkeyPair();
  await devnet.faucet(cold.address, taoToRao(1000));
  for (const hk of ['validator', 'validator2', 'good', 'weak']) {
    w.createHotkey(hk);
    await devnet.burnedRegister(1, cold, w.hotkeyPair(hk).address);
  }
  await devnet.addStake(cold, w.hotkeyPair('validator').address, taoToRao(100));
  for (const [hk, dir] of [['good', goodArt], ['weak', weakArt]] as const) {
    const circuits = new CircuitStore();
    await circuits.add(dir, { capacity: 1 });
    const backend = new PoolBackend({ size: 1 });
    // allowNoPermit: the devnet has run no epoch yet, so the validator holds no permit (docs/network.md)
    const miner = new Miner({ hotkey: w.hotkeyPair(hk), chain: devnet, netuid: 1, circuits, backend, allowNoPermit: true });
    await miner.start();
    miners.push({ miner, backend });
  }
  blocks = setInterval(() => devnet.produceBlock(), 250);
});

after(async () => {
  if (blocks) clearInterval(blocks);
  for (const m of miners) {
    await m.miner.stop();
    await m.backend.close?.();
  }
  await server?.close();
  await devnet?.close();
  await releaseSnarkjsCurve();
});

test('two submissions of different quality: committed, evaluated on hidden inputs, the better ranks first', async () => {
  // A circuit whose I/O does not fit the task is refused before anything is committed.
  const w = new Wallet({ path: wallets, name: 'owner', hotkey: 'good' });
  await assert.rejects(submitCircuit({ task: getCompetitionTask('shapes-classification'), dir: goodArt, chain: devnet, netuid: 1, hotkey: w.hotkeyPair() }),
    (e: unknown) => e instanceof SubmissionMismatchError && /cannot be submitted to shapes-classification: inputs .* do not match/.test(e.message));
  assert.deepEqual(await devnet.commitments(1), []);

  for (const [hk, dir] of [['good', goodArt], ['weak', weakArt]]) {
    const s = await cli(['competition', 'submit', TASK, '--circuit', dir!, ...walletFlags(hk!)]);
    assert.equal(s.code, 0, s.stdout + s.stderr);
    assert.match(s.stdout, new RegExp(`committed zkc1:${TASK}:[0-9a-f]{64} at block \\d+`));
  }

  const e = await cli(['competition', 'evaluate', TASK, ...walletFlags('validator'), '--allow-insecure-dev', '--count', '8', '--seed', '11', '--json']);
  assert.equal(e.code, 0, e.stdout + e.stderr);
  const board = LeaderboardSchema.parse(JSON.parse(e.stdout));
  const hot = (hk: string) => new Wallet({ path: wallets, name: 'owner', hotkey: hk }).hotkeyPair().address;
  assert.equal(board.items, 8);
  assert.deepEqual(board.entries.map((x) => [x.rank, x.hotkey, x.status]), [[1, hot('good'), 'scored'], [2, hot('weak'), 'scored']]);
  const [good, weak] = board.entries;
  assert.equal(good!.verified, 8, 'every hidden input proven and verified');
  assert.equal(weak!.verified, 8);
  assert.ok(good!.metric! < weak!.metric!, `MAE ${good!.metric} days should beat ${weak!.metric}`);
  assert.ok(good!.score > weak!.score);
  assert.ok(good!.proof_bytes! > 0 && good!.prove_ms_median! > 0);
  // both circuits were audited: recompiled from the submitted model, proving key checked against that R1CS
  assert.equal(e.stderr.match(/auditing [0-9a-f]{16}… \(recompile the submitted model/g)?.length, 2, e.stderr);

  // A round set by the validator: commitments before its start are late (not evaluated); a round ending before it starts is refused.
  const start = board.block + 1000;
  const late = await cli(['competition', 'evaluate', TASK, ...walletFlags('validator'), '--allow-insecure-dev', '--start', String(start), '--json']);
  assert.equal(late.code, 0, late.stdout + late.stderr);
  const lb = LeaderboardSchema.parse(JSON.parse(late.stdout));
  assert.deepEqual([lb.start_block, lb.deadline_block], [start, start + getCompetitionTask(TASK).competition.deadlineBlocks]);
  assert.deepEqual(lb.entries.map((x) => x.status), ['late', 'late']);
  assert.match(lb.entries[0]!.reason!, new RegExp(`outside blocks ${start}\\.\\.`));
  const bad = await cli(['competition', 'evaluate', TASK, ...walletFlags('validator'), '--start', '10', '--end', '5']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /ends at block 5, before it starts at block 10/);
});

test('a validator runs the competition and serves its leaderboard; zkinfer competition leaderboard reads it', async () => {
  const dir = join(work, 'boards');
  rmSync(dir, { recursive: true, force: true });
  const boards = new CompetitionBoards([getCompetitionTask(TASK)], dir);
  const runner = new CompetitionRunner({ hotkey: new Wallet({ path: wallets, name: 'owner', hotkey: 'validator' }).hotkeyPair(), chain: devnet, netuid: 1, boards, allowInsecureDev: true, count: 2 });
  await runner.evaluateAll(); // a fresh hidden set, as `zkinfer validator --competition` does every few blocks
  await runner.stop();
  const board = boards.leaderboard(TASK)!;
  assert.deepEqual(board.entries.map((e) => [e.status, e.verified]), [['scored', 2], ['scored', 2]]);
  assert.ok(existsSync(join(dir, `${TASK}.json`)), 'saved for a restart');
  const api = await startApi({ competitions: boards }); // the validator API (zkinfer validator --api-port … --competition …)
  const url = api.url;
  try {
    const r = await cli(['competition', 'leaderboard', TASK, '--validator', url, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(LeaderboardSchema.parse(JSON.parse(r.stdout)), board);
    const missing = await cli(['competition', 'leaderboard', 'shapes-classification', '--validator', url]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /^error: validator answered 404: no competition named "shapes-classification" on this validator\n/);
  } finally {
    await api.close();
  }
});

test('stopping a runner mid-evaluation ends it at the next query and records no partial leaderboard', async () => {
  const boards = new CompetitionBoards([getCompetitionTask(TASK)], join(work, 'boards-stop'));
  rmSync(join(work, 'boards-stop'), { recursive: true, force: true });
  // 500 hidden items: minutes of proofs, so only the abort can make stop() quick
  const runner = new CompetitionRunner({ hotkey: new Wallet({ path: wallets, name: 'owner', hotkey: 'validator' }).hotkeyPair(), chain: devnet, netuid: 1, boards, allowInsecureDev: true, count: 500 });
  runner.start();
  await new Promise((r) => setTimeout(r, 2000)); // a block arrived: the evaluation is under way
  const t0 = Date.now();
  await runner.stop();
  assert.ok(Date.now() - t0 < 10_000, `stop() took ${Date.now() - t0} ms`);
  assert.equal(boards.leaderboard(TASK), undefined, 'no leaderboard from a cut evaluation');
});

/** Run `zkinfer validator --competition TASK` with `hotkey` on the state folder `state` until its API serves a leaderboard. */
async function validatorBoard(hotkey: string, state: string): Promise<{ board: ReturnType<typeof LeaderboardSchema.parse>; out: string }> {
  const p = spawn(process.execPath, zkinferArgv(['--state-dir', state, 'validator', ...walletFlags(hotkey), '--circuit', goodArt, '--allow-insecure-dev',
    '--competition', TASK, '--competition-every', '1', '--competition-items', '2', '--api-port', '0', '--api-open']), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    let board: ReturnType<typeof LeaderboardSchema.parse> | undefined;
    for (let i = 0; i < 2400 && !board; i++) {
      const url = /validator API and dashboard on (http:\/\/[\d.:]+)\//.exec(out)?.[1];
      if (url) {
        const r = await fetch(`${url}/v1/competitions/${TASK}/leaderboard`).catch(() => undefined);
        if (r?.ok) board = LeaderboardSchema.parse(await r.json());
      }
      assert.equal(p.exitCode, null, out);
      if (!board) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(board, `no leaderboard served: ${out}`);
    return { board, out };
  } finally {
    const exited = new Promise((r) => p.once('close', r));
    p.kill('SIGINT');
    await exited;
  }
}

test('zkinfer validator --competition evaluates on its own and serves the leaderboard on its API; validators of two hotkeys on one state folder keep their leaderboards apart', async () => {
  const state = join(work, 'state');
  rmSync(state, { recursive: true, force: true });
  const folder = (hotkey: string): string => join(state, 'validator', 'competitions', new Wallet({ path: wallets, name: 'owner', hotkey }).hotkeyPair().address);
  const a = await validatorBoard('validator', state);
  assert.deepEqual(a.board.entries.map((e) => [e.status, e.verified]), [['scored', 2], ['scored', 2]]);
  assert.ok(existsSync(join(folder('validator'), `${TASK}.json`)), 'saved next to the database, in its own folder');
  assert.match(a.out, /competition share of the weights: 0\.5\b/, 'the default share (docs/competitions.md "Weights")');
  // both circuits' audit passes are saved beside the board, so a restart does not audit them again
  const saved = JSON.parse(readFileSync(join(folder('validator'), 'audit-passes.json'), 'utf8')) as { passes: string[] };
  assert.equal(saved.passes.length, 2, JSON.stringify(saved));

  // Another hotkey's validator on the same state folder (its own database beside the first's) serves only its own
  // evaluations, never the first validator's ranking reopened as its own.
  const startedAt = Date.now();
  const b = await validatorBoard('validator2', state);
  assert.ok(b.board.evaluated_at >= startedAt, `validator2 served a leaderboard evaluated before it started (${b.board.evaluated_at} < ${startedAt}): another validator's`);
  assert.ok(existsSync(join(folder('validator2'), `${TASK}.json`)));
  const kept = LeaderboardSchema.parse(JSON.parse(readFileSync(join(folder('validator'), `${TASK}.json`), 'utf8')));
  assert.ok(kept.evaluated_at < startedAt, "the first validator's saved board is not overwritten by the second's");
});
