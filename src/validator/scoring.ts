/**
 * Scoring (docs/network.md, scoring; the reference subnet's formulas, constants configurable):
 *   x = clamp((rt − min_rt)/(max_rt − min_rt), 0, 0.99)
 *   h(x) = [tan(0.9π(x−0.5)) + tan(0.45π)] / [2·tan(0.45π)]
 *   f = clamp(1·(1−h) − w_size·clamp(size/3648, 0, 1) + w_out·output_score, 0, 1)
 *   target = f / n_uids;  verified: score += α·(target − score);  failed: score ← decay·score
 */
export interface ScoringConfig {
  /** Weight of the response-time term (1 in the reference). */
  wTime: number;
  /** Weight of the proof-size penalty. */
  wSize: number;
  /** Proof size (bytes) at which the size penalty saturates. */
  sizeNorm: number;
  /** Weight of an output-quality score in [0, 1] (0: unused). */
  wOutput: number;
  /** EMA step toward the target for a verified proof. */
  alpha: number;
  /** Multiplier applied on a failed or invalid response. */
  failDecay: number;
  /** Cap on max_rt (the query timeout), seconds. */
  maxRtCap: number;
  /** Fraction of slowest responses whose median is max_rt. */
  slowFraction: number;
}

export const DEFAULT_SCORING: ScoringConfig = {
  wTime: 1,
  wSize: 0.1,
  sizeNorm: 3648,
  wOutput: 0,
  alpha: 0.1,
  failDecay: 0.6,
  maxRtCap: 60,
  slowFraction: 0.05,
};

const TAN_045PI = Math.tan(0.45 * Math.PI);

/** The response-time curve h(x), increasing from 0 (x = 0) to ~0.97 (x = 0.99). */
export function responseTimeCurve(x: number): number {
  return (Math.tan(0.9 * Math.PI * (x - 0.5)) + TAN_045PI) / (2 * TAN_045PI);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export interface RtBounds {
  minRt: number;
  maxRt: number;
}

/**
 * min_rt = fastest successful time; max_rt = median of the slowest `slowFraction` (capped at the timeout);
 * if max_rt − min_rt < 1 then max_rt = min_rt + 1. `times` are successful response times in seconds.
 */
export function rtBounds(times: readonly number[], cfg: Pick<ScoringConfig, 'maxRtCap' | 'slowFraction'> = DEFAULT_SCORING): RtBounds {
  if (times.length === 0) return { minRt: 0, maxRt: Math.min(1, cfg.maxRtCap) };
  const sorted = [...times].sort((a, b) => a - b);
  const minRt = sorted[0]!;
  const k = Math.max(1, Math.ceil(sorted.length * cfg.slowFraction));
  const slow = sorted.slice(sorted.length - k);
  let maxRt = Math.min(median(slow), cfg.maxRtCap);
  if (maxRt - minRt < 1) maxRt = minRt + 1;
  return { minRt, maxRt };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** f for one verified response. */
export function responseQuality(p: { rt: number; proofSize: number; outputScore?: number; bounds: RtBounds }, cfg: ScoringConfig = DEFAULT_SCORING): number {
  const x = clamp((p.rt - p.bounds.minRt) / (p.bounds.maxRt - p.bounds.minRt), 0, 0.99);
  const h = responseTimeCurve(x);
  return clamp(cfg.wTime * (1 - h) - cfg.wSize * clamp(p.proofSize / cfg.sizeNorm, 0, 1) + cfg.wOutput * (p.outputScore ?? 0), 0, 1);
}

/** EMA update of one uid's score. */
export function updateScore(score: number, outcome: { verified: true; quality: number; nUids: number } | { verified: false }, cfg: ScoringConfig = DEFAULT_SCORING): number {
  if (!outcome.verified) return cfg.failDecay * score;
  const target = outcome.quality / Math.max(1, outcome.nUids);
  return score + cfg.alpha * (target - score);
}

/** Python's round(): half to even. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export const U16_MAX = 65535;

/**
 * Scores → (uids, u16 weights) as Bittensor's convert_weights_and_uids_for_emit: normalise, scale so the
 * largest is 65535, round half to even, drop zeros. Returns empty arrays when every score is zero.
 */
export function weightsForEmit(scores: ReadonlyMap<number, number> | ReadonlyArray<readonly [number, number]>): { uids: number[]; weights: number[] } {
  const entries = [...(scores instanceof Map ? scores.entries() : (scores as ReadonlyArray<readonly [number, number]>))]
    .filter(([, s]) => Number.isFinite(s) && s > 0)
    .sort((a, b) => a[0] - b[0]);
  const sum = entries.reduce((a, [, s]) => a + s, 0);
  if (sum <= 0) return { uids: [], weights: [] };
  const norm = entries.map(([u, s]) => [u, s / sum] as const);
  const max = Math.max(...norm.map(([, w]) => w));
  const uids: number[] = [];
  const weights: number[] = [];
  for (const [u, w] of norm) {
    const q = roundHalfEven((w / max) * U16_MAX);
    if (q > 0) {
      uids.push(u);
      weights.push(q);
    }
  }
  return { uids, weights };
}
