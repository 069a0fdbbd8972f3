import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScoringModel, referenceScores } from '../../src/models/scoring/build.js';
import { sampleScoringBatch } from '../../src/models/scoring/sample.js';
import { evalOddPoly, fitOddPolynomial } from '../../src/models/scoring/polyfit.js';
import { DEFAULT_SCORING, responseTimeCurve } from '../../src/validator/scoring.js';
import { importOnnx } from '../../src/zkml/onnx/import.js';
import { runOnnxRuntime } from '../../src/zkml/onnx/runtime.js';

test('odd polynomial fit recovers an odd polynomial exactly', () => {
  const f = (x: number) => 0.5 + 2 * (x - 0.5) - 3 * (x - 0.5) ** 3;
  const p = fitOddPolynomial(f, 2, 0, 1, 0.5);
  assert.ok(Math.abs(p.coeffs[0]! - 2) < 1e-9 && Math.abs(p.coeffs[1]! + 3) < 1e-9);
  assert.ok(Math.abs(evalOddPoly(p, 0.9) - f(0.9)) < 1e-12);
});

test('scoring circuit graph matches the validator formula within the h(x) fit error', async () => {
  const built = buildScoringModel({ batch: 8 });
  assert.ok(built.curveMaxError < 0.05, `h(x) fit error ${built.curveMaxError}`);
  const graph = importOnnx(built.onnx, 'scoring');
  const batches = Array.from({ length: 50 }, (_, i) => sampleScoringBatch(100 + i, 8));
  const outs = await runOnnxRuntime(built.onnx, graph, batches.map((b) => [b.flat()]));
  // f's time term moves by at most w_time·|Δh| and the EMA step scales f by alpha.
  const bound = DEFAULT_SCORING.alpha * DEFAULT_SCORING.wTime * built.curveMaxError + 1e-6;
  let worst = 0;
  batches.forEach((rows, i) => {
    const ref = referenceScores(rows);
    outs[i]![0]!.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - ref[j]!));
      if (rows[1]![j] === 0) assert.ok(Math.abs(v - 0.6 * rows[0]![j]!) < 1e-6, 'failed uids decay exactly');
    });
  });
  assert.ok(worst <= bound, `max error ${worst} > bound ${bound}`);
  assert.ok(worst > 0, 'the approximation is not exact, so a zero error would mean the test compares nothing');
});

test('scoring circuit clamps response time and size like the reference', async () => {
  const built = buildScoringModel({ batch: 4 });
  const graph = importOnnx(built.onnx, 'scoring');
  // uid0: fastest (x<0 → 0) small proof; uid1: slowest (x>0.99); uid2: huge proof; uid3: failed.
  const rows = [
    [0.5, 0.5, 0.5, 0.5],
    [1, 1, 1, 0],
    [-0.3, 1.7, 0.2, 0.2],
    [0, 0, 5, 0],
    [0, 0, 0, 0],
  ];
  const [[out]] = await runOnnxRuntime(built.onnx, graph, [[rows.flat()]]);
  const ref = referenceScores(rows);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(out![j]! - ref[j]!) <= 0.1 * built.curveMaxError + 1e-6, `uid ${j}: ${out![j]} vs ${ref[j]}`);
  assert.ok(out![0]! > out![1]!, 'the fast uid gains more than the slow one');
  assert.ok(Math.abs(out![3]! - 0.3) < 1e-6);
  assert.ok(responseTimeCurve(0) < 1e-12);
});
