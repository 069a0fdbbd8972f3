/** Default subnet hyperparameters of the devnet (subtensor's defaults), and the `--fast` overrides. */
import { z } from 'zod';
import type { Hyperparameters } from '../types.js';

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
  activityCutoff: 5000,
  burn: 1_000_000_000n,
  maxRegistrationsPerBlock: 16,
  servingRateLimit: 50,
  commitRevealWeightsEnabled: false,
  revealPeriodEpochs: 1,
  yuma3Enabled: false,
};

/**
 * `--fast` mode (250 ms blocks): tempo 10 and the block-counted limits scaled down so a full
 * register → serve → set weights → epoch cycle takes seconds: weights rate limit 5 blocks (one set per
 * half epoch), serving rate limit 2, immunity 20 blocks, activity cutoff 500 blocks.
 */
export const FAST_OVERRIDES: Partial<Hyperparameters> = {
  tempo: 10,
  weightsRateLimit: 5,
  servingRateLimit: 2,
  immunityPeriod: 20,
  activityCutoff: 500,
};

/** Bonds penalty β (docs/chain.md: β = 1, bonds follow clipped weights). */
export const BONDS_PENALTY = 1;

/** Share of each block's subnet emission paid to the subnet owner (18%). */
export const OWNER_CUT_PER_MILLE = 180n;

/** Default emission into each subnet per block, rao (1 TAO). */
export const DEFAULT_EMISSION_PER_BLOCK = 1_000_000_000n;

const u16 = z.number().int().min(0).max(65535);
const nat = z.number().int().min(0);

/** zod schema for (partial) hyperparameters as they cross a boundary (burn as a decimal string or bigint). */
export const HyperparametersSchema = z.object({
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
  burn: z.union([z.bigint(), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v)),
  maxRegistrationsPerBlock: nat,
  servingRateLimit: nat,
  commitRevealWeightsEnabled: z.boolean(),
  /** subtensor's MIN/MAX_COMMIT_REVEAL_PEROIDS are 1..100; absent in older state: 1. */
  revealPeriodEpochs: z.number().int().min(1).max(100).default(1),
  /** Absent in state written before the switch existed: original Yuma. */
  yuma3Enabled: z.boolean().default(false),
});

/** Hyperparameters as JSON (burn as a string). */
export function hyperparametersToJson(h: Hyperparameters): Record<string, unknown> {
  return { ...h, burn: h.burn.toString() };
}
