import { DEFAULT_SCORING, responseQuality, responseTimeCurve, updateScore, type ScoringConfig } from '../../validator/scoring.js';
import { OnnxBuilder } from '../../zkml/onnx/write.js';
import { evalOddPoly, fitOddPolynomial, type OddPoly } from './polyfit.js';

export const SCORING_MODEL_NAME = 'scoring-ema';
/** Rows of the input tensor [SCORING_ROWS, batch]. */
export const SCORING_ROWS = ['score_scaled', 'verified', 'rt_norm', 'size_frac', 'output_score'] as const;
/** Largest clamp of the normalised response time (docs/network.md, scoring). */
const X_MAX = 0.99;

export interface ScoringModelOptions {
  /** uids scored per proof (columns of the input). */
  batch?: number;
  /** Odd-polynomial terms approximating h(x) (4 → degree 7). */
  terms?: number;
  cfg?: ScoringConfig;
}

export interface ScoringModel {
  onnx: Uint8Array;
  batch: number;
  poly: OddPoly;
  /** max |poly − h| on [0, 0.99]. */
  curveMaxError: number;
  cfg: ScoringConfig;
}

/**
 * The validator's EMA score update (docs/network.md, scoring) for a batch of uids as an ONNX graph of supported ops
 * (Slice, Relu, Sub, Add, Mul), for proof of weights. Scores are carried *scaled by n_uids* (S = n·score,
 * so S ∈ [0, 1] and fixed point keeps its precision; target·n = f), which makes the update independent of n:
 *   xc = clamp(rt_norm, 0, 0.99);  h ≈ odd polynomial around 0.5 fitted to the tan curve (error reported)
 *   f  = clamp(w_time·(1 − h) − w_size·clamp(size_frac, 0, 1) + w_out·output_score, 0, 1)
 *   S' = verified ? S + α(f − S) : decay·S   (verified ∈ {0, 1}: S' = decay·S + verified·(S + α(f − S) − decay·S))
 * Off-circuit: min_rt / max_rt over the round (rt_norm = (rt − min_rt)/(max_rt − min_rt)), proof verification
 * itself (the verified bit), size/3648 (size_frac), and weights normalisation to u16.
 */
export function buildScoringModel(opts: ScoringModelOptions = {}): ScoringModel {
  const batch = opts.batch ?? 16;
  const cfg = opts.cfg ?? DEFAULT_SCORING;
  const poly = fitOddPolynomial(responseTimeCurve, opts.terms ?? 4, 0, X_MAX, 0.5);
  let curveMaxError = 0;
  for (let i = 0; i <= 4000; i++) {
    const x = (X_MAX * i) / 4000;
    curveMaxError = Math.max(curveMaxError, Math.abs(evalOddPoly(poly, x) - responseTimeCurve(x)));
  }

  const b = new OnnxBuilder(SCORING_MODEL_NAME);
  b.input('input', [SCORING_ROWS.length, batch]);
  const c = (v: number) => b.init(b.fresh('c'), [1], [v]);
  const op = (name: string, ...inputs: string[]) => b.node(name, inputs, [b.fresh(name.toLowerCase())]);
  const row = (i: number) =>
    b.node('Slice', ['input', b.initInt64(b.fresh('start'), [1], [i]), b.initInt64(b.fresh('end'), [1], [i + 1]), b.initInt64(b.fresh('axis'), [1], [0])], [SCORING_ROWS[i]!]);
  /** clamp(v, 0, hi) = relu(v) − relu(v − hi) */
  const clamp01 = (v: string, hi: number) => op('Sub', op('Relu', v), op('Relu', op('Sub', v, c(hi))));

  const S = row(0);
  const verified = row(1);
  const x = row(2);
  const size = row(3);
  const u = op('Sub', clamp01(x, X_MAX), c(poly.centre));
  const u2 = op('Mul', u, u);
  let acc = c(poly.coeffs[poly.coeffs.length - 1]!);
  for (let k = poly.coeffs.length - 2; k >= 0; k--) acc = op('Add', op('Mul', acc, u2), c(poly.coeffs[k]!));
  const h = op('Add', op('Mul', u, acc), c(poly.offset));
  let f = op('Mul', op('Sub', c(1), h), c(cfg.wTime));
  f = op('Sub', f, op('Mul', clamp01(size, 1), c(cfg.wSize)));
  if (cfg.wOutput !== 0) f = op('Add', f, op('Mul', row(4), c(cfg.wOutput))); // output_score is unused when w_out = 0
  f = clamp01(f, 1);
  const good = op('Add', S, op('Mul', op('Sub', f, S), c(cfg.alpha)));
  const bad = op('Mul', S, c(cfg.failDecay));
  const res = b.node('Add', [bad, op('Mul', verified, op('Sub', good, bad))], ['output']);
  b.output(res, [1, batch]);
  return { onnx: b.toBytes(), batch, poly, curveMaxError, cfg };
}

/** Exact reference (the validator's own float code): new n-scaled scores for one batch [rows][batch]. */
export function referenceScores(input: number[][], cfg: ScoringConfig = DEFAULT_SCORING): number[] {
  const [S, verified, x, size, out] = input as [number[], number[], number[], number[], number[]];
  return S.map((s, j) => {
    if (verified[j]! < 0.5) return updateScore(s, { verified: false }, cfg);
    const quality = responseQuality({ rt: x[j]!, proofSize: size[j]! * cfg.sizeNorm, outputScore: out[j]!, bounds: { minRt: 0, maxRt: 1 } }, cfg);
    return updateScore(s, { verified: true, quality, nUids: 1 }, cfg);
  });
}
