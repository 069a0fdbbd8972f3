/**
 * One Yuma consensus epoch: subtensor's `epoch_mechanism` (run_epoch.rs at opentensor/subtensor
 * 14bc6f9f964b9cc362e9635dd110a487fa5d15a0), original Yuma or Yuma3 with or without liquid alpha, as a
 * pure function of the subnet state. Every quantity is an I32F32 (stake normalised in I64F64 first)
 * with substrate-fixed's rounding, step for step in the chain's order, so stored u16 values and rao
 * emissions equal the chain's (docs/chain.md "Yuma consensus"):
 *   active = last_update + activity_cutoff ≥ now; S = stake normalised, masked to active permit holders;
 *   W row-normalised after dropping non-permit rows, self-weights and outdated weights;
 *   C_j = κ-stake-weighted median of column j; W̄ = min(W, C); validator trust = Σ_j W̄_ij;
 *   I = normalise(Σ_i S_i W̄_ij); Wb = W + β(W̄ − W) (β = bonds penalty);
 *   original: B' = α·col-normalise(S ⊙ Wb) + (1 − α)·B (B col-normalised), col-normalised, D = normalise(B'ᵀ I);
 *   Yuma3: B' = α·Wb + (1 − α)·B (α per cell with liquid alpha), D = normalise(S ⊙ Σ_j col-normalise(B')_ij I_j);
 *   E = (I + D)/Σ(I + D) × emission (stake-proportional when Σ = 0).
 */
import { isTopkNonzero } from './math.js';
import * as fx from './fixed.js';
import type { Fx } from './fixed.js';
import { liquidAlphas, type LiquidAlpha } from './liquid-alpha.js';
import {
  colClip, colMaxUpscale, colNormalize, filterCells, interpolate, matEma, matEmaAlpha, matmul, matmulTranspose,
  matVecMul, normalize, normalizeUsing, rowHadamard, rowNormalize, rowSum, vecDiv, vecMul, weightedMedianCol, type SpMat,
} from './sparse.js';

export interface EpochInput {
  /** Current block (the epoch block). */
  block: number;
  /** Block of the previous epoch (subtensor's LastMechansimStepBlock; bonds on uids registered after it are reset); -1 if none. */
  lastEpochBlock: number;
  /**
   * The subnet's tempo. When given and `lastEpochBlock` is 0 (no step recorded), the reset cut-off is
   * `block − tempo` (saturating), as subtensor's run_epoch.rs does; otherwise `lastEpochBlock + 1`.
   */
  tempo?: number;
  /** Total stake per uid (rao). */
  stake: bigint[];
  /** Block of each uid's last set_weights (registration block until then). */
  lastUpdate: number[];
  blockAtRegistration: number[];
  /** Validator permits as stored before this epoch. */
  validatorPermit: boolean[];
  /** Sparse u16 weight rows: weights[i] = [[uid, w], ...]. */
  weights: Array<Array<[number, number]>>;
  /** Sparse u16 bond rows as stored by the previous epoch. */
  bonds: Array<Array<[number, number]>>;
  /** Hyperparameters. */
  kappa: number; // u16
  bondsMovingAvg: number; // out of 1e6
  /** Bonds penalty β in [0,1]; taken as the u16 round(β·65535) and then /65535 in I32F32, as the chain stores it. */
  bondsPenalty: number;
  activityCutoff: number;
  maxAllowedValidators: number;
  /**
   * subtensor's global `StakeThreshold` (rao, default 0): stake below it counts as 0 before
   * normalisation, so such uids neither get permits nor weigh in consensus.
   */
  stakeThreshold?: bigint;
  /**
   * uid of the subnet owner's hotkey (subtensor's `get_owner_uid`), if registered: as in subtensor's
   * epoch it is exempt from the stake threshold, always holds a validator permit, and keeps its self-weight.
   */
  ownerUid?: number;
  /**
   * subtensor's per-subnet `Yuma3On` switch: bonds are stored as plain u16
   * proportions, updated by `B' = α·Wb + (1 − α)·B` without column normalisation, and dividends are
   * `normalise(S ⊙ Σ_j col-normalise(B')_ij I_j)` (run_epoch.rs, Yuma3 branch). Default false (original Yuma).
   */
  yuma3?: boolean;
  /**
   * subtensor's per-subnet `LiquidAlphaOn` with its `AlphaValues` (u16 low, high) and `AlphaSigmoidSteepness`
   * (i16): with Yuma3, each bond's EMA rate comes from a sigmoid of how far its weight is above consensus
   * (buying) or below its bond (selling), see liquid-alpha.ts. Ignored by original Yuma, as on chain.
   */
  liquidAlpha?: LiquidAlpha;
  /**
   * Commit-reveal subnets only (subtensor's column mask in epoch_mechanism): per uid, the block of its earliest
   * unexpired weights commit (undefined: none). A weight of uid i on uid j is dropped when i's commit predates
   * j's registration, so a uid registered during the reveal window does not inherit the weights committed for
   * its slot's previous holder. Leave out when commit-reveal is off.
   */
  commitBlocks?: Array<number | undefined>;
  /** Emission to distribute this epoch, rao (after the owner cut). */
  emission: bigint;
}

export interface EpochOutput {
  active: boolean[];
  /** New validator permits (top-k by stake). */
  validatorPermit: boolean[];
  /** Normalised stake used (after inactive / non-permit masking), float. */
  activeStake: number[];
  /** u16 storage values. */
  consensus: number[];
  incentive: number[];
  dividends: number[];
  validatorTrust: number[];
  trust: number[];
  /** New bond rows (u16, column max-upscaled like subtensor storage); empty for uids without a permit. */
  bonds: Array<Array<[number, number]>>;
  /** Per uid: server (incentive) and validator (dividend) emission, rao. */
  serverEmission: bigint[];
  validatorEmission: bigint[];
  /** The I32F32 internals as floats, for tests and the docs' worked examples. */
  float: { weights: number[][]; clipped: number[][]; consensus: number[]; incentive: number[]; dividends: number[]; bonds: number[][]; validatorTrust: number[] };
}

export const toFloat = (v: readonly Fx[]): number[] => v.map(fx.toNumber);
const toU16 = (v: readonly Fx[]): number[] => v.map(fx.proportionToU16);

/** What an epoch (sparse or dense) computed, in the chain's fixed point; the three matrices already as floats. */
export interface EpochResult {
  active: boolean[];
  newPermits: boolean[];
  activeStake: Fx[];
  consensus: Fx[];
  incentive: Fx[];
  dividends: Fx[];
  validatorTrust: Fx[];
  trust: Fx[];
  bonds: Array<Array<[number, number]>>;
  serverEmission: bigint[];
  validatorEmission: bigint[];
  weights: number[][];
  clipped: number[][];
  ema: number[][];
}

/** An epoch's output: u16 storage values and the float internals (the same for runEpoch and runEpochDense). */
export function epochOutput(r: EpochResult): EpochOutput {
  return {
    active: r.active,
    validatorPermit: r.newPermits,
    activeStake: toFloat(r.activeStake),
    consensus: toU16(r.consensus),
    incentive: toU16(r.incentive),
    dividends: toU16(r.dividends),
    validatorTrust: toU16(r.validatorTrust),
    trust: toU16(r.trust),
    bonds: r.bonds,
    serverEmission: r.serverEmission,
    validatorEmission: r.validatorEmission,
    float: {
      weights: r.weights, clipped: r.clipped, consensus: toFloat(r.consensus), incentive: toFloat(r.incentive),
      dividends: toFloat(r.dividends), bonds: r.ema, validatorTrust: toFloat(r.validatorTrust),
    },
  };
}

function toDense(m: SpMat, n: number): number[][] {
  return m.map((row) => {
    const d = new Array<number>(n).fill(0);
    for (const [j, x] of row) if (j < n) d[j] = fx.toNumber(x);
    return d;
  });
}

/**
 * rao × proportion as subtensor computes it: the I32F32 share widened to I96F32, multiplied by the
 * emission and truncated to u64 rao. So 1/10 of 10⁹ rao is 99 999 999, not 10⁸ (subtensor's test_10_graph).
 */
function raoShare(emission: bigint, p: Fx): bigint {
  return p > 0n ? (emission * p) >> fx.FRAC : 0n;
}

/** Stored rows (u16 for weights, u16 for bonds) read in, cells at or past n dropped like get_*_sparse. */
function readRows(rows: Array<Array<[number, number]>>, n: number, conv: (x: number) => Fx): SpMat {
  return Array.from({ length: n }, (_, i) => (rows[i] ?? []).filter(([j]) => j < n).map(([j, x]) => [j, conv(x)] as [number, Fx]));
}

/**
 * The epoch's first steps, shared by the sparse and dense epochs: active = last update within the cutoff; stake below the
 * threshold counts as 0, normalised in I64F64 and narrowed; stored and new (top-k) permits; the active permit holders'
 * stake normalised. `owner`: the owner uid's exemptions (the sparse epoch has them, the dense one does not).
 */
export function epochStake(inp: EpochInput, owner: number | undefined): {
  n: number; active: boolean[]; stake: Fx[]; permits: boolean[]; newPermits: boolean[]; activeStake: Fx[];
} {
  const n = inp.stake.length;
  const active = inp.lastUpdate.map((u) => !(u + inp.activityCutoff < inp.block));
  while (active.length < n) active.push(false);
  const min = inp.stakeThreshold ?? 0n;
  const stake = fx.normalizeStake64(inp.stake.map((s, i) => (s < min && i !== owner ? 0n : s)));
  const permits = inp.validatorPermit.slice(0, n);
  while (permits.length < n) permits.push(false);
  const newPermits = isTopkNonzero(stake, inp.maxAllowedValidators);
  if (owner !== undefined && owner < n) {
    permits[owner] = true;
    newPermits[owner] = true;
  }
  const activeStake = normalize(stake.map((s, i) => (active[i] && permits[i] ? s : fx.ZERO)));
  return { n, active, stake, permits, newPermits, activeStake };
}

/** Bonds on uids registered since the last epoch are dropped: cut-off LastMechansimStepBlock + 1, or block − tempo with no step. */
export function recentlyRegistered(inp: EpochInput): (j: number) => boolean {
  const lastTempo = inp.tempo !== undefined && inp.lastEpochBlock <= 0
    ? Math.max(0, inp.block - inp.tempo)
    : inp.lastEpochBlock < 0 ? -Infinity : inp.lastEpochBlock + 1;
  return (j) => lastTempo <= inp.blockAtRegistration[j]!;
}

/** The bond penalty β as the chain stores it (u16) and reads it back (/65535 in I32F32). */
export const bondsPenaltyOf = (inp: EpochInput): Fx => fx.u16Proportion(Math.round(Math.min(1, Math.max(0, inp.bondsPenalty)) * 65535));

/** Emission shares: (I, D) / Σ(I + D), or the (active) stake when Σ = 0; each share × emission, truncated to rao. */
export function epochEmission(inp: EpochInput, incentive: Fx[], dividends: Fx[], stake: Fx[], activeStake: Fx[]): { serverEmission: bigint[]; validatorEmission: bigint[] } {
  const esum = fx.sum(incentive.map((x, i) => fx.add(x, dividends[i]!)));
  const serverNorm = normalizeUsing(incentive, esum);
  let validatorNorm = normalizeUsing(dividends, esum);
  if (esum === 0n) validatorNorm = fx.sum(activeStake) === 0n ? stake : activeStake;
  return { serverEmission: serverNorm.map((p) => raoShare(inp.emission, p)), validatorEmission: validatorNorm.map((p) => raoShare(inp.emission, p)) };
}

/** Run one epoch. */
export function runEpoch(inp: EpochInput): EpochOutput {
  const owner = inp.ownerUid;
  const { n, active, stake, permits, newPermits, activeStake } = epochStake(inp, owner);

  // Weights: u16 as I32F32 integers; non-permit rows, self-weights (except the owner's) and weights set
  // at or before the target's registration dropped; rows normalised.
  let W = readRows(inp.weights, n, fx.fromInt);
  W = filterCells(W, (i, j) => permits[i]! && (i !== j || i === owner) && !(inp.lastUpdate[i]! <= inp.blockAtRegistration[j]!));
  const commits = inp.commitBlocks;
  if (commits) W = filterCells(W, (i, j) => !(commits[i] !== undefined && commits[i]! < inp.blockAtRegistration[j]!));
  W = rowNormalize(W);

  const consensus = weightedMedianCol(activeStake, W, n, fx.u16Proportion(inp.kappa));
  const clipped = colClip(W, consensus);
  const validatorTrust = rowSum(clipped);
  const preranks = matmul(W, activeStake, n);
  const ranks = matmul(clipped, activeStake, n);
  const trust = vecDiv(ranks, preranks);
  const incentive = normalize(ranks);

  // Bonds.
  const Wb = interpolate(W, clipped, n, bondsPenaltyOf(inp));
  const fresh = recentlyRegistered(inp);
  let ema: SpMat;
  let dividends: Fx[];
  if (inp.yuma3) {
    // Stored u16 bonds as proportions (get_bonds_sparse_fixed_proportion).
    const B = filterCells(readRows(inp.bonds, n, (x) => fx.div(fx.fromInt(x), fx.fromInt(65535))), (_, j) => !fresh(j));
    ema = inp.liquidAlpha && consensus.some((c) => c !== 0n)
      ? matEmaAlpha(Wb, B, liquidAlphas(Wb, B, consensus, inp.liquidAlpha))
      : matEma(Wb, B, fx.emaAlpha(inp.bondsMovingAvg));
    const perValidator = rowSum(matVecMul(colNormalize(ema, n), incentive));
    dividends = normalize(vecMul(perValidator, activeStake));
  } else {
    const B = colNormalize(filterCells(readRows(inp.bonds, n, fx.fromInt), (_, j) => !fresh(j)), n);
    const delta = colNormalize(rowHadamard(Wb, activeStake), n);
    ema = colNormalize(matEma(delta, B, fx.emaAlpha(inp.bondsMovingAvg)), n);
    dividends = normalize(matmulTranspose(ema, incentive));
  }

  const { serverEmission, validatorEmission } = epochEmission(inp, incentive, dividends, stake, activeStake);

  const stored = inp.yuma3 ? ema : colMaxUpscale(ema, n);
  const bonds = stored.map((row, i) =>
    newPermits[i] ? row.map(([j, b]) => [j, fx.proportionToU16(b)] as [number, number]).filter(([, v]) => v > 0) : [],
  );

  return epochOutput({
    active, newPermits, activeStake, consensus, incentive, dividends, validatorTrust, trust, bonds, serverEmission, validatorEmission,
    weights: toDense(W, n), clipped: toDense(clipped, n), ema: toDense(ema, n),
  });
}

/**
 * subtensor's `do_reset_bonds` (per-subnet `BondsResetOn`): every validator's stored bond on `uid` is
 * removed, so bonds on that miner restart from zero at the next epoch.
 */
export function resetBondsOn(bonds: Array<Array<[number, number]>>, uid: number): Array<Array<[number, number]>> {
  return bonds.map((row) => row.filter(([j]) => j !== uid));
}
