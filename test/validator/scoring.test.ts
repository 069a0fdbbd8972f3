import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SCORING, median, responseQuality, responseTimeCurve, roundHalfEven, rtBounds, updateScore, weightsForEmit } from '../../src/validator/scoring.js';

test('response-time curve: h(0)=0, h(0.5)=0.5, increasing', () => {
  assert.ok(Math.abs(responseTimeCurve(0)) < 1e-12);
  assert.ok(Math.abs(responseTimeCurve(0.5) - 0.5) < 1e-12);
  let prev = -1;
  for (let x = 0; x <= 0.99; x += 0.01) {
    const h = responseTimeCurve(x);
    assert.ok(h > prev);
    prev = h;
  }
  assert.ok(responseTimeCurve(0.99) < 1);
});

test('rt bounds: min = fastest, max = median of slowest 5% capped, spread at least 1 s', () => {
  const times = Array.from({ length: 100 }, (_, i) => 0.5 + i * 0.1); // 0.5 .. 10.4
  const b = rtBounds(times);
  assert.equal(b.minRt, 0.5);
  assert.ok(Math.abs(b.maxRt - median([9.9, 10, 10.1, 10.2, 10.3, 10.4].slice(1))) < 1e-9); // slowest 5 of 100
  assert.deepEqual(rtBounds([2, 2.1, 2.2]), { minRt: 2, maxRt: 3 });
  assert.equal(rtBounds([1, 200], { ...DEFAULT_SCORING, maxRtCap: 60 }).maxRt, 60);
});

test('quality: faster is better; proof size is weighted; clamps to [0, 1]', () => {
  const bounds = { minRt: 1, maxRt: 5 };
  const fast = responseQuality({ rt: 1, proofSize: 0, bounds });
  const slow = responseQuality({ rt: 4.5, proofSize: 0, bounds });
  assert.equal(fast, 1);
  assert.ok(slow < fast && slow > 0);
  const big = responseQuality({ rt: 1, proofSize: 3648, bounds });
  assert.ok(Math.abs(big - (1 - DEFAULT_SCORING.wSize)) < 1e-12);
  assert.ok(responseQuality({ rt: 1, proofSize: 800, bounds }) > big);
  assert.ok(responseQuality({ rt: 100, proofSize: 1e9, bounds }) >= 0);
});

test('EMA: verified moves 10% toward f/n, failed multiplies by 0.6', () => {
  assert.ok(Math.abs(updateScore(0, { verified: true, quality: 1, nUids: 4 }) - 0.025) < 1e-12);
  assert.ok(Math.abs(updateScore(0.2, { verified: true, quality: 1, nUids: 4 }) - (0.2 + 0.1 * (0.25 - 0.2))) < 1e-12);
  assert.ok(Math.abs(updateScore(0.2, { verified: false }) - 0.12) < 1e-12);
});

test('weights: normalised, max-upscaled to u16, round half to even, zeros dropped', () => {
  assert.equal(roundHalfEven(2.5), 2);
  assert.equal(roundHalfEven(3.5), 4);
  assert.equal(roundHalfEven(3.4999), 3);
  const w = weightsForEmit(new Map([[3, 0.2], [1, 0.1], [2, 0], [5, 1e-9]]));
  assert.deepEqual(w.uids, [1, 3]); // uid 5 rounds to 0 and is dropped, uid 2 is zero
  assert.deepEqual(w.weights, [32768, 65535]); // 0.5·65535 = 32767.5 → 32768 (even)
  assert.deepEqual(weightsForEmit(new Map([[0, 0]])), { uids: [], weights: [] });
});
