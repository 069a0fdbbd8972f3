import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerCompetitionRoutes } from '../../src/api/routes/competitions.js';
import { CompetitionBoards } from '../../src/competition/boards.js';
import { formatCommitment, parseCommitment, submissionsOf } from '../../src/competition/commitment.js';
import { UnknownCompetitionError } from '../../src/competition/errors.js';
import { submissionProblem, taskScoring } from '../../src/competition/evaluate.js';
import { LeaderboardSchema, rankEntries, type Leaderboard, type LeaderboardEntry } from '../../src/competition/leaderboard.js';
import { COMPETITION_TASKS, getCompetitionTask } from '../../src/competition/tasks.js';
import { readModelCard } from '../../src/models/card.js';
import { shippedModelDir } from '../../src/models/paths.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';
import type { CircuitMetadata } from '../../src/zkml/format/metadata.js';
import { circuitIdOfVk } from '../../src/zkml/format/circuit-id-node.js';
import { zkinfer } from '../zkml/prove-fixtures.js';

const ID = 'a'.repeat(64);

test('commitments: zkc1:<task>:<circuit id>, the latest per hotkey, other commitments ignored', () => {
  const data = formatCommitment({ task: 'staking-duration', circuitId: ID });
  assert.equal(data, `zkc1:staking-duration:${ID}`);
  assert.ok(data.length <= 128, 'fits a subtensor Raw commitment');
  assert.deepEqual(parseCommitment(data), { task: 'staking-duration', circuitId: ID });
  for (const bad of ['zkc1:staking-duration:xyz', `zkc2:t:${ID}`, `zkc1:Bad Task:${ID}`, `zkc1:t:${ID}:extra`, 'circuits=abc']) assert.equal(parseCommitment(bad), undefined, bad);
  const subs = submissionsOf([
    { hotkey: 'A', block: 3, data: formatCommitment({ task: 't', circuitId: ID }) },
    { hotkey: 'A', block: 9, data: formatCommitment({ task: 't', circuitId: 'b'.repeat(64) }) },
    { hotkey: 'B', block: 4, data: formatCommitment({ task: 'other', circuitId: ID }) },
    { hotkey: 'C', block: 5, data: 'something else' },
  ], 't');
  assert.deepEqual(subs, [{ hotkey: 'A', block: 9, circuitId: 'b'.repeat(64) }]);
  assert.throws(() => getCompetitionTask('age-estimation'), UnknownCompetitionError);
});

test('metrics: accuracy and MAE score against ground truth; a missing proof counts as a miss', () => {
  const shapes = getCompetitionTask('shapes-classification').competition;
  const items = shapes.draw(5, 4);
  assert.deepEqual(shapes.draw(5, 4), items, 'same seed, same hidden set');
  const oneHot = (c: number) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0));
  assert.deepEqual(shapes.metric.evaluate(items.map((it) => oneHot(it.truth)), items), { value: 1, score: 1 });
  assert.equal(shapes.metric.evaluate([oneHot(items[0]!.truth), undefined, undefined, undefined], items).value, 0.25);

  const staking = getCompetitionTask('staking-duration').competition;
  const pos = staking.draw(7, 20);
  const norm = readModelCard(shippedModelDir('staking-lstm')).normalisation!;
  const exact = staking.metric.evaluate(pos.map((p) => [(p.truth - norm.targetMean) / norm.targetStd]), pos);
  assert.ok(exact.value < 1e-9 && exact.score > 0.999);
  const mean = staking.metric.evaluate(pos.map(() => [0]), pos);
  assert.ok(Math.abs(mean.score - 0.5) < 1e-9, 'the mean-duration guess scores 0.5');
  assert.deepEqual(staking.metric.evaluate(pos.map(() => undefined), pos), mean);
});

test('baselines are deterministic and beat chance / the mean guess in float (onnxruntime)', async () => {
  for (const task of COMPETITION_TASKS) {
    const b = task.competition.baseline();
    assert.deepEqual(task.competition.baseline().onnx, b.onnx, `${task.name}: same bytes every time`);
    const items = task.competition.draw(424242, 120);
    const g = importOnnx(b.onnx, task.name);
    const outs = await runOnnxRuntime(b.onnx, g, items.map((it) => [it.input]));
    const m = task.competition.metric.evaluate(outs.map((o) => Array.from(o[0]!)), items);
    if (task.name === 'shapes-classification') assert.ok(m.value > 0.5, `accuracy ${m.value} vs chance 0.25`);
    else assert.ok(m.score > 0.5, `MAE score ${m.score} (MAE ${m.value} days) must beat the mean guess (0.5)`);
  }
});

test('a downloaded circuit must be the committed one and fit the task', () => {
  const task = getCompetitionTask('staking-duration');
  const vk = { protocol: 'groth16', nPublic: 42 };
  const id = circuitIdOfVk(vk);
  const t = (name: string, shape: number[], offset: number) => ({ name, signal: name, shape, scaleBits: 8, rangeBits: 24, _o: offset });
  const md = {
    id, security: 'INSECURE-DEV',
    inputs: [t('input', [5, 1, 8], 1)], outputs: [t('output', [1, 1], 0)],
    publicLayout: { outputs: [{ name: 'output', offset: 0, length: 1 }], inputs: [{ name: 'input', offset: 1, length: 40 }], recipient: 41, total: 42 },
  } as unknown as CircuitMetadata;
  assert.equal(submissionProblem(task, id, md, vk, true), undefined);
  assert.match(submissionProblem(task, ID, md, vk, true)!, /is not the committed circuit id/);
  assert.match(submissionProblem(task, id, md, vk, false)!, /INSECURE-DEV/);
  assert.match(submissionProblem(task, id, { ...md, id: ID }, vk, true)!, /metadata\.id/);
  assert.match(submissionProblem(task, id, { ...md, outputs: [t('output', [1, 2], 0)] } as unknown as CircuitMetadata, vk, true)!, /outputs .* do not match/);
  const vk41 = { ...vk, nPublic: 41 };
  const id41 = circuitIdOfVk(vk41);
  assert.match(submissionProblem(task, id41, { ...md, id: id41 }, vk41, true)!, /public-signal layout/);
  assert.deepEqual([taskScoring(task).wOutput, taskScoring(task).wSize, taskScoring(task).wTime], [0.9, 0.05, 0.05]);
});

function entry(hotkey: string, score: number, extra: Partial<LeaderboardEntry> = {}): LeaderboardEntry {
  return { hotkey, circuit_id: ID, committed_block: 1, status: 'scored', verified: 1, failed: 0, score, output_score: score, ...extra };
}

test('ranking: scored by score, the rest unranked after them; boards persist and the API serves them', async () => {
  const ranked = rankEntries([entry('late', 0, { status: 'late' }), entry('b', 0.3), entry('a', 0.7), entry('c', 0.3, { committed_block: 0 })]);
  assert.deepEqual(ranked.map((e) => [e.hotkey, e.rank]), [['a', 1], ['c', 2], ['b', 3], ['late', undefined]]);

  const dir = mkdtempSync(join(tmpdir(), 'zk-boards-'));
  try {
    const board: Leaderboard = { task: 'staking-duration', metric: 'mae_days', block: 12, evaluated_at: Date.now(), items: 3, entries: ranked };
    new CompetitionBoards(COMPETITION_TASKS, dir).record(board);
    const reopened = new CompetitionBoards(COMPETITION_TASKS, dir);
    assert.deepEqual(reopened.leaderboard('staking-duration'), LeaderboardSchema.parse(JSON.parse(readFileSync(join(dir, 'staking-duration.json'), 'utf8'))));
    writeFileSync(join(dir, 'shapes-classification.json'), '{"not": "a board"}');
    assert.equal(new CompetitionBoards(COMPETITION_TASKS, dir).leaderboard('shapes-classification'), undefined, 'a corrupt file is ignored');
    writeFileSync(join(dir, 'shapes-classification.json'), '{"task": "shapes-classification", "metric": "acc');
    assert.equal(new CompetitionBoards(COMPETITION_TASKS, dir).leaderboard('shapes-classification'), undefined, 'a file cut short is ignored');

    const app = Fastify();
    registerCompetitionRoutes(app, reopened);
    const list = await app.inject({ url: '/v1/competitions' });
    const rows = list.json().competitions as Array<{ name: string; submissions: number; evaluated_block?: number }>;
    assert.deepEqual(rows.map((r) => [r.name, r.submissions, r.evaluated_block]), [['shapes-classification', 0, undefined], ['staking-duration', 4, 12]]);
    const lb = await app.inject({ url: '/v1/competitions/staking-duration/leaderboard' });
    assert.equal(lb.statusCode, 200);
    assert.equal(LeaderboardSchema.parse(lb.json()).entries[0]!.hotkey, 'a');
    assert.equal((await app.inject({ url: '/v1/competitions/nope/leaderboard' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/v1/competitions/shapes-classification/leaderboard' })).statusCode, 503);
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zkinfer competition list / show / baseline from the CLI, with a typed error for an unknown task', () => {
  const list = zkinfer(['competition', 'list', '--json']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as Array<{ name: string }>).map((r) => r.name), ['shapes-classification', 'staking-duration']);
  const show = zkinfer(['competition', 'show', 'shapes-classification']);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /metric accuracy: .*\n.*score = clamp\(0\.9·output_score/);
  const unknown = zkinfer(['competition', 'show', 'age-estimation']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no competition named "age-estimation"[\s\S]*choose one of: shapes-classification, staking-duration/);
  const out = mkdtempSync(join(tmpdir(), 'zk-baseline-'));
  try {
    const b = zkinfer(['competition', 'baseline', 'shapes-classification', '--out', out]);
    assert.equal(b.code, 0, b.stderr);
    assert.ok(readFileSync(join(out, 'model.onnx')).equals(Buffer.from(getCompetitionTask('shapes-classification').competition.baseline().onnx)), 'the written baseline is the task\'s');
    assert.match(b.stdout, /next: zkinfer compile .*model\.onnx --name shapes-classification --calibration .*calibration\.json/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
