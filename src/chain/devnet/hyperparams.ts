/** Default subnet hyperparameters of the devnet (subtensor's defaults), and the `--fast` overrides. */
import { z } from 'zod';
import type { Hyperparameters } from '../types.js';
import { ActivityCutoffFactorOutOfBoundsError, AlphaHighTooLowError, AlphaLowOutOfRangeError } from '../errors.js';
import { LIQUID_ALPHA_DEFAULTS, MIN_ALPHA, type LiquidAlpha } from '../yuma/liquid-alpha.js';
import {
  activityCutoffBlocks, activityCutoffFactorFromBlocks, INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI, MAX_ACTIVITY_CUTOFF_FACTOR_MILLI,
  MIN_ACTIVITY_CUTOFF_FACTOR_MILLI,
} from '../yuma/schedule.js';

/** subtensor defaults (tempo 360, κ = 32767 ≈ 0.5, bonds moving average 0.9, 256 uids, 64 validators, ...). */
export const DEFAULT_HYPERPARAMETERS: Hyperparameters = {
  tempo: 360,
  kappa: 32767,
  bondsMovingAvg: 900_000,
  maxAllowedUids: 256,
  maxAllowedValidators: 64,
  immunityPeriod: 4096,
  weightsRateLimit: 100,
  minAllowedWeights: 1,
  maxWeightsLimit: 65535,
  weightsVersion: 0,
  activityCutoff: activityCutoffBlocks(INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI, 360),
  activityCutoffFactor: INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI,
  burn: 1_000_000_000n,
  maxRegistrationsPerBlock: 16,
  servingRateLimit: 50,
  commitRevealWeightsEnabled: false,
  revealPeriodEpochs: 1,
  yuma3Enabled: false,
  liquidAlphaEnabled: false,
  alphaLow: LIQUID_ALPHA_DEFAULTS.low,
  alphaHigh: LIQUID_ALPHA_DEFAULTS.high,
  alphaSigmoidSteepness: LIQUID_ALPHA_DEFAULTS.steepness,
  bondsPenalty: 65535,
};

/**
 * `--fast` mode (250 ms blocks): tempo 10 and the block-counted limits scaled down so a full
 * register → serve → set weights → epoch cycle takes seconds: weights rate limit 5 blocks (one set per
 * half epoch), serving rate limit 2, immunity 20 blocks, activity cutoff factor 50 000 ‰ (the maximum: 500 blocks
 * at tempo 10).
 */
export const FAST_OVERRIDES: Partial<Hyperparameters> = {
  tempo: 10,
  weightsRateLimit: 5,
  servingRateLimit: 2,
  immunityPeriod: 20,
  activityCutoffFactor: MAX_ACTIVITY_CUTOFF_FACTOR_MILLI,
};

/** Share of each block's subnet emission paid to the subnet owner (18%). */
export const OWNER_CUT_PER_MILLE = 180n;

/** Default emission into each subnet per block, rao (1 TAO). */
export const DEFAULT_EMISSION_PER_BLOCK = 1_000_000_000n;

const u16 = z.number().int().min(0).max(65535);
const nat = z.number().int().min(0);

/** The fields of hyperparameters as they cross a boundary (burn as a decimal string or bigint); partial for overrides. */
export const HyperparametersFields = z.object({
  tempo: z.number().int().min(1).max(65535),
  kappa: u16,
  bondsMovingAvg: z.number().int().min(0).max(1_000_000),
  maxAllowedUids: z.number().int().min(1).max(4096),
  maxAllowedValidators: z.number().int().min(1).max(4096),
  immunityPeriod: nat,
  weightsRateLimit: nat,
  minAllowedWeights: nat,
  maxWeightsLimit: u16,
  weightsVersion: nat,
  activityCutoff: nat,
  /** Absent in state written before subtensor's 2026 cutoff: derived from activityCutoff (blocks) by the migration's rule. */
  activityCutoffFactor: z.number().int().min(MIN_ACTIVITY_CUTOFF_FACTOR_MILLI).max(MAX_ACTIVITY_CUTOFF_FACTOR_MILLI).optional(),
  burn: z.union([z.bigint(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v)),
  maxRegistrationsPerBlock: nat,
  servingRateLimit: nat,
  commitRevealWeightsEnabled: z.boolean(),
  /** subtensor's MIN/MAX_COMMIT_REVEAL_PEROIDS are 1..100; absent in older state: 1. */
  revealPeriodEpochs: z.number().int().min(1).max(100).default(1),
  /** Absent in state written before the switch existed: original Yuma. */
  yuma3Enabled: z.boolean().default(false),
  /** Liquid alpha switch and parameters (absent in older state: subtensor's defaults, off). */
  liquidAlphaEnabled: z.boolean().default(false),
  alphaLow: u16.default(LIQUID_ALPHA_DEFAULTS.low),
  alphaHigh: u16.default(LIQUID_ALPHA_DEFAULTS.high),
  alphaSigmoidSteepness: z.number().int().min(-32768).max(32767).default(LIQUID_ALPHA_DEFAULTS.steepness),
  bondsPenalty: u16.default(65535),
});

/**
 * The cutoff as subtensor keeps it since its 2026 schedule (utils/misc.rs `get_activity_cutoff_blocks`): the stored
 * per-mille factor, and `activityCutoff` = ⌊factor·tempo/1000⌋ (≥ 1) derived from it. Hyperparameters without a factor
 * (a data folder from before the change, or overrides naming only `activityCutoff` in blocks) get the factor
 * migrate_dynamic_tempo computes: ⌈1000·cutoff/tempo⌉ clamped to 1000..50000 (docs/chain.md "Epoch schedule").
 */
export function withActivityCutoff<H extends Pick<Hyperparameters, 'tempo' | 'activityCutoff' | 'activityCutoffFactor'>>(h: H): H {
  const factor = h.activityCutoffFactor ?? activityCutoffFactorFromBlocks(h.activityCutoff, h.tempo);
  return { ...h, activityCutoffFactor: factor, activityCutoff: activityCutoffBlocks(factor, h.tempo) };
}

/** Stored or wire hyperparameters, with the cutoff migrated and derived (`withActivityCutoff`). */
export const HyperparametersSchema = HyperparametersFields.transform(withActivityCutoff);

/**
 * A new subnet's hyperparameters: `base` (defaults, `--fast`) under `overrides`. An override naming only `activityCutoff`
 * (blocks, the pre-2026 setting) is converted to a factor as the migration does; one naming the factor is checked
 * against `set_activity_cutoff_factor`'s bounds.
 */
export function resolveHyperparameters(base: Hyperparameters, overrides: Partial<Hyperparameters>): Hyperparameters {
  const f = overrides.activityCutoffFactor;
  if (f !== undefined) checkActivityCutoffFactor(f);
  const merged = { ...base, ...overrides };
  const factor = f ?? (overrides.activityCutoff !== undefined ? undefined : base.activityCutoffFactor);
  return withActivityCutoff(factor === undefined ? { ...merged, activityCutoffFactor: undefined } : { ...merged, activityCutoffFactor: factor });
}

/** `set_activity_cutoff_factor`'s bounds check (1000..50000 per mille). */
export function checkActivityCutoffFactor(factor: number): void {
  if (!Number.isInteger(factor) || factor < MIN_ACTIVITY_CUTOFF_FACTOR_MILLI || factor > MAX_ACTIVITY_CUTOFF_FACTOR_MILLI) {
    throw new ActivityCutoffFactorOutOfBoundsError(
      `activity cutoff factor ${factor} ‰ is outside ${MIN_ACTIVITY_CUTOFF_FACTOR_MILLI}..${MAX_ACTIVITY_CUTOFF_FACTOR_MILLI}`,
    );
  }
}

/**
 * subtensor's `do_set_alpha_values` checks: alpha_high ≥ u16::MAX/40 (1638), and
 * 1638 ≤ alpha_low ≤ alpha_high. Throws the typed error the chain would return.
 */
export function checkAlphaValues(h: Partial<Hyperparameters>): void {
  const low = h.alphaLow ?? LIQUID_ALPHA_DEFAULTS.low;
  const high = h.alphaHigh ?? LIQUID_ALPHA_DEFAULTS.high;
  if (high < MIN_ALPHA) throw new AlphaHighTooLowError(`alphaHigh ${high} is below ${MIN_ALPHA} (u16::MAX / 40)`);
  if (low < MIN_ALPHA || low > high) throw new AlphaLowOutOfRangeError(`alphaLow ${low} must be in ${MIN_ALPHA}..alphaHigh (${high})`);
}

/** The epoch's liquid-alpha input: set only while both Yuma3 and liquid alpha are on (it acts only in Yuma3, as on chain). */
export function liquidAlphaOf(h: Hyperparameters): LiquidAlpha | undefined {
  if (!h.yuma3Enabled || !h.liquidAlphaEnabled) return undefined;
  return {
    low: h.alphaLow ?? LIQUID_ALPHA_DEFAULTS.low,
    high: h.alphaHigh ?? LIQUID_ALPHA_DEFAULTS.high,
    steepness: h.alphaSigmoidSteepness ?? LIQUID_ALPHA_DEFAULTS.steepness,
  };
}

/** Hyperparameters as JSON (burn as a string). */
export function hyperparametersToJson(h: Hyperparameters): Record<string, unknown> {
  return { ...h, burn: h.burn.toString() };
}
