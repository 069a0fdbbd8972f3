/**
 * One Yuma consensus epoch (subtensor `epoch_dense`, original Yuma with liquid alpha off), as a pure
 * function of the subnet state. Float64 arithmetic, u16 storage on the way in and out, exactly the
 * steps of docs/chain.md:
 *   active = last_update + activity_cutoff ≥ now; S = stake normalised, masked to active permit holders;
 *   W row-normalised after dropping non-permit rows, self-weights and outdated weights;
 *   C_j = κ-stake-weighted median of column j; W̄ = min(W, C); validator trust = Σ_j W̄_ij;
 *   I = normalise(Σ_i S_i W̄_ij); Wb = W + β(W̄ − W) (β = bonds penalty, 1);
 *   B' = α·col-normalise(S ⊙ Wb) + (1 − α)·B (B col-normalised), then col-normalised;
 *   D = normalise(B'ᵀ I); E = (I + D)/Σ(I + D) × emission (stake-proportional when Σ = 0).
 */
import {
  colMaxUpscale, colNormalize, isTopkNonzero, normalize, proportionToU16, rowNormalize, sum,
  u16ToProportion, weightedMedianCol, type Mat,
} from './math.js';

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
  /** Bonds penalty β in [0,1] (subtensor u16 65535 = 1). */
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
   * subtensor's per-subnet `Yuma3On` switch (with liquid alpha off): bonds are stored as plain u16
   * proportions, updated by `B' = α·Wb + (1 − α)·B` without column normalisation, and dividends are
   * `normalise(S ⊙ Σ_j col-normalise(B')_ij I_j)` (run_epoch.rs, Yuma3 branch). Default false (original Yuma).
   */
  yuma3?: boolean;
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
  /** Float internals, for tests and the docs' worked examples. */
  float: { weights: Mat; clipped: Mat; consensus: number[]; incentive: number[]; dividends: number[]; bonds: Mat; validatorTrust: number[] };
}

function dense(rows: Array<Array<[number, number]>>, n: number, scale: (x: number) => number): Mat {
  return Array.from({ length: n }, (_, i) => {
    const r = new Array<number>(n).fill(0);
    for (const [j, w] of rows[i] ?? []) if (j < n) r[j] = scale(w);
    return r;
  });
}

/**
 * rao × proportion as subtensor computes it: the normalised share is an I32F32 (truncated to 2⁻³²),
 * widened to I96F32, multiplied by the emission and truncated to u64 rao. So 1/10 of 10⁹ rao is
 * 99 999 999, not 10⁸ (subtensor's test_10_graph).
 */
function raoShare(emission: bigint, p: number): bigint {
  if (!(p > 0)) return 0n;
  const bits = BigInt(Math.floor(p * 2 ** 32));
  return (emission * bits) >> 32n;
}

/** Run one epoch. */
export function runEpoch(inp: EpochInput): EpochOutput {
  const n = inp.stake.length;
  const active = inp.lastUpdate.map((u) => !(u + inp.activityCutoff < inp.block));

  // Stake: normalise total stake (exact in bigint, then to float).
  const min = inp.stakeThreshold ?? 0n;
  const owner = inp.ownerUid;
  const filtered = inp.stake.map((s, i) => (s < min && i !== owner ? 0n : s));
  const total = filtered.reduce((a, b) => a + b, 0n);
  const stake = filtered.map((s) => (total === 0n ? 0 : Number((s * 1_000_000_000_000n) / total) / 1e12));

  const permits = inp.validatorPermit.slice(0, n);
  while (permits.length < n) permits.push(false);
  const newPermits = isTopkNonzero(stake, inp.maxAllowedValidators);
  if (owner !== undefined && owner < n) {
    permits[owner] = true;
    newPermits[owner] = true;
  }

  const activeStake = normalize(stake.map((s, i) => (active[i] && permits[i] ? s : 0)));

  // Weights: drop non-permit rows, self-weights (except the owner's), and weights set before the target (re)registered.
  let W = dense(inp.weights, n, u16ToProportion);
  W = W.map((row, i) =>
    row.map((w, j) => (!permits[i] || (i === j && i !== owner) || inp.lastUpdate[i]! <= inp.blockAtRegistration[j]! ? 0 : w)),
  );
  W = rowNormalize(W);

  const kappa = u16ToProportion(inp.kappa);
  const consensus = weightedMedianCol(activeStake, W, n, kappa);
  const clipped = W.map((row) => row.map((w, j) => Math.min(w, consensus[j]!)));
  const validatorTrust = clipped.map(sum);

  const preranks = new Array<number>(n).fill(0);
  const ranks = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      preranks[j]! += W[i]![j]! * activeStake[i]!;
      ranks[j]! += clipped[i]![j]! * activeStake[i]!;
    }
  }
  const trust = ranks.map((r, j) => (preranks[j] === 0 ? 0 : r / preranks[j]!));
  const incentive = normalize(ranks);

  // Bonds.
  const beta = inp.bondsPenalty;
  const Wb = W.map((row, i) => row.map((w, j) => w + beta * (clipped[i]![j]! - w)));
  let B = dense(inp.bonds, n, u16ToProportion);
  // Reset bonds on uids registered since the last epoch.
  const lastTempo = inp.tempo !== undefined && inp.lastEpochBlock <= 0
    ? Math.max(0, inp.block - inp.tempo)
    : inp.lastEpochBlock < 0 ? -Infinity : inp.lastEpochBlock + 1;
  B = B.map((row) => row.map((b, j) => (lastTempo <= inp.blockAtRegistration[j]! ? 0 : b)));
  const alpha = 1 - inp.bondsMovingAvg / 1_000_000;
  let ema: Mat;
  let dividends: number[];
  if (inp.yuma3) {
    ema = Wb.map((row, i) => row.map((w, j) => alpha * w + (1 - alpha) * B[i]![j]!));
    const norm = colNormalize(ema, n);
    dividends = normalize(norm.map((row, i) => row.reduce((acc, b, j) => acc + b * incentive[j]!, 0) * activeStake[i]!));
  } else {
    B = colNormalize(B, n);
    const delta = colNormalize(Wb.map((row, i) => row.map((w) => w * activeStake[i]!)), n);
    ema = delta.map((row, i) => row.map((d, j) => alpha * d + (1 - alpha) * B[i]![j]!));
    ema = colNormalize(ema, n);
    dividends = normalize(ema.map((row) => row.reduce((acc, b, j) => acc + b * incentive[j]!, 0)));
  }

  // Emission.
  const combined = incentive.map((x, i) => x + dividends[i]!);
  const esum = sum(combined);
  let serverNorm = esum === 0 ? incentive.slice() : incentive.map((x) => x / esum);
  let validatorNorm = esum === 0 ? dividends.slice() : dividends.map((x) => x / esum);
  if (esum === 0) {
    serverNorm = serverNorm.map(() => 0);
    validatorNorm = sum(activeStake) === 0 ? stake.slice() : activeStake.slice();
  }
  const serverEmission = serverNorm.map((p) => raoShare(inp.emission, p));
  const validatorEmission = validatorNorm.map((p) => raoShare(inp.emission, p));

  const stored = inp.yuma3 ? ema : colMaxUpscale(ema, n);
  const bonds = stored.map((row, i) =>
    newPermits[i] ? row.map((b, j) => [j, proportionToU16(b)] as [number, number]).filter(([, v]) => v > 0) : [],
  );

  return {
    active,
    validatorPermit: newPermits,
    activeStake,
    consensus: consensus.map(proportionToU16),
    incentive: incentive.map(proportionToU16),
    dividends: dividends.map(proportionToU16),
    validatorTrust: validatorTrust.map(proportionToU16),
    trust: trust.map(proportionToU16),
    bonds,
    serverEmission,
    validatorEmission,
    float: { weights: W, clipped, consensus, incentive, dividends, bonds: ema, validatorTrust },
  };
}
