import { z } from 'zod';
import { SEQ_LEN, type StakingPositionInput } from './schema.js';

/** Model features per day, in this order (the LSTM input's last axis). */
export const FEATURE_NAMES = [
  'apr_pct', // staking APR, %
  'log10_deposit_eth', // log10 of the initial deposit
  'balance_ratio', // balance that day / initial deposit (top-ups > 1, partial withdrawals < 1)
  'ln_gas_gwei', // natural log of gas price
  'eth_change_pct', // ETH price change since day 0, %
  'eth_vol_pct', // trailing 30-day realised vol, annualised %
  'withdraw_queue_days', // withdrawal queue length, days
  'points_per_eth_day', // points programme rate
] as const;
export const N_FEATURES = FEATURE_NAMES.length;

/** Per-feature z-score parameters plus the target's, stored in the model metadata so predict takes raw values. */
export const NormalisationSchema = z.object({
  featureMean: z.array(z.number()).length(N_FEATURES),
  featureStd: z.array(z.number().positive()).length(N_FEATURES),
  targetMean: z.number(),
  targetStd: z.number().positive(),
});
export type Normalisation = z.infer<typeof NormalisationSchema>;

/** Raw position → SEQ_LEN × N_FEATURES matrix of derived (not yet normalised) features. */
export function deriveFeatures(p: StakingPositionInput): number[][] {
  const p0 = p.days[0]!.eth_price_usd;
  return p.days.slice(0, SEQ_LEN).map((d) => [
    d.apr_pct,
    Math.log10(p.deposit_eth),
    d.balance_eth / p.deposit_eth,
    Math.log(d.gas_gwei),
    100 * (d.eth_price_usd / p0 - 1),
    d.eth_vol_pct,
    d.withdraw_queue_days,
    d.points_per_eth_day,
  ]);
}

/** Fit z-score parameters on a training set of derived feature sequences and durations. */
export function fitNormalisation(seqs: number[][][], targets: number[]): Normalisation {
  const featureMean = new Array<number>(N_FEATURES).fill(0);
  const featureStd = new Array<number>(N_FEATURES).fill(0);
  let n = 0;
  for (const s of seqs) for (const row of s) { row.forEach((v, j) => (featureMean[j]! += v)); n++; }
  for (let j = 0; j < N_FEATURES; j++) featureMean[j]! /= n;
  for (const s of seqs) for (const row of s) row.forEach((v, j) => (featureStd[j]! += (v - featureMean[j]!) ** 2));
  for (let j = 0; j < N_FEATURES; j++) featureStd[j] = Math.sqrt(featureStd[j]! / n) || 1; // constant feature → 1
  const targetMean = targets.reduce((a, b) => a + b, 0) / targets.length;
  const targetStd = Math.sqrt(targets.reduce((a, b) => a + (b - targetMean) ** 2, 0) / targets.length) || 1;
  return { featureMean, featureStd, targetMean, targetStd };
}

/**
 * z-scores are clamped to ±Z_CLAMP: an outlier (say a 60-day withdrawal queue) must not leave the input range
 * the circuit range-checks (calibration covers ±Z_CLAMP), and the float model sees the same clamped value.
 */
export const Z_CLAMP = 7.5;

/** Derived features → normalised model input (SEQ_LEN × N_FEATURES), clamped to ±Z_CLAMP. */
export function normaliseFeatures(seq: number[][], norm: Normalisation): number[][] {
  return seq.map((row) => row.map((v, j) => Math.max(-Z_CLAMP, Math.min(Z_CLAMP, (v - norm.featureMean[j]!) / norm.featureStd[j]!))));
}

/** Raw position → normalised model input. */
export function encodePosition(p: StakingPositionInput, norm: Normalisation): number[][] {
  return normaliseFeatures(deriveFeatures(p), norm);
}

/** Normalised model output → days. */
export function decodeDuration(y: number, norm: Normalisation): number {
  return y * norm.targetStd + norm.targetMean;
}
