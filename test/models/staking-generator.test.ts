import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePositions } from '../../src/models/staking/generate.js';
import { MAX_DURATION_DAYS, SEQ_LEN, StakingPositionInputSchema } from '../../src/models/staking/schema.js';
import { TOKENS } from '../../src/models/staking/tokens.js';
import { deriveFeatures, fitNormalisation, encodePosition, N_FEATURES, Z_CLAMP } from '../../src/models/staking/features.js';
import { lastKnownDuration } from '../../src/models/staking/baselines.js';

test('same seed gives identical positions; another seed gives different ones', () => {
  const a = generatePositions({ count: 300, seed: 42 });
  const b = generatePositions({ count: 300, seed: 42 });
  const c = generatePositions({ count: 300, seed: 43 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.positions, c.positions);
});

test('generated positions are well-formed and cover every token', () => {
  const { positions } = generatePositions({ count: 2000, seed: 7 });
  const seen = new Set<string>();
  for (const p of positions) {
    StakingPositionInputSchema.parse(p);
    assert.equal(p.days.length, SEQ_LEN);
    assert.ok(p.duration_days >= SEQ_LEN && p.duration_days <= MAX_DURATION_DAYS, `duration ${p.duration_days}`);
    assert.ok(Number.isInteger(p.duration_days));
    seen.add(p.token);
    if (p.token === 'wETH') assert.ok(p.days.every((d) => d.apr_pct === 0 && d.withdraw_queue_days === 0));
  }
  assert.deepEqual([...seen].sort(), [...TOKENS].sort());
});

test('hidden personas drive durations the way the README documents', () => {
  const { positions, personas } = generatePositions({ count: 4000, seed: 3 });
  const meanOf = (who: string) => {
    const d = positions.filter((_, i) => personas[i] === who).map((p) => p.duration_days);
    return d.reduce((s, x) => s + x, 0) / d.length;
  };
  assert.ok(meanOf('trader') < meanOf('points'));
  assert.ok(meanOf('points') < meanOf('yield'));
  assert.ok(meanOf('yield') < meanOf('hodler'));
});

test('features: shape, derived values and normalisation', () => {
  const { positions } = generatePositions({ count: 200, seed: 1 });
  const seqs = positions.map(deriveFeatures);
  const f = seqs[0]!;
  assert.equal(f.length, SEQ_LEN);
  assert.equal(f[0]!.length, N_FEATURES);
  assert.equal(f[0]![4], 0, 'ETH change is 0 on day 0');
  assert.ok(Math.abs(f[0]![1]! - Math.log10(positions[0]!.deposit_eth)) < 1e-12);
  const norm = fitNormalisation(seqs, positions.map((p) => p.duration_days));
  const all = positions.map((p) => encodePosition(p, norm)).flat();
  for (let j = 0; j < N_FEATURES; j++) {
    const col = all.map((r) => r[j]!);
    const mean = col.reduce((s, x) => s + x, 0) / col.length;
    assert.ok(Math.abs(mean) < 0.05, `feature ${j} mean ${mean}`);
    assert.ok(col.every((v) => Math.abs(v) <= Z_CLAMP));
  }
  // an outlier (120-day withdrawal queue) is clamped to the range the circuit accepts
  const outlier = structuredClone(positions[0]!);
  outlier.days[4]!.withdraw_queue_days = 120;
  assert.equal(encodePosition(outlier, norm)[4]![6], Z_CLAMP);
});

test('last-known duration only uses positions closed before the prediction day', () => {
  const mk = (id: string, start: string, d: number) => ({ id, token: 'rETH' as const, deposit_eth: 1, start_date: start, duration_days: d, days: [] });
  const history = [mk('a', '2024-01-01', 10), mk('b', '2024-01-02', 100), mk('c', '2024-01-20', 7)];
  // target opens 2024-01-10 → predicts at 01-14: 'a' closed on 01-11, 'b' still open.
  const [guess] = lastKnownDuration([mk('t', '2024-01-10', 50)], history, 123);
  assert.equal(guess, 10);
  const [none] = lastKnownDuration([mk('t', '2023-06-01', 50)], history, 123);
  assert.equal(none, 123);
});
