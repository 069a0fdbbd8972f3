/**
 * The typed `Chain` interface every chain backend implements: the embedded devnet (in-process or over
 * JSON-RPC) and the real subtensor adapter. Miners and validators code against this file only.
 *
 * Units (fixed for every implementation):
 * - Balances, stake and emission are `bigint` **rao** (1 TAO = 10^9 rao), as subtensor stores them.
 *   Use `raoToTao` / `taoToRao` from this file to convert for display or input.
 * - Consensus, incentive, dividends, trust, validator trust are `number`s in [0, 1], decoded from the
 *   chain's u16 storage (value / 65535), like the Bittensor SDK's metagraph.
 * - Weights passed to `setWeights` are u16 integers (0..65535); the chain max-upscales them on storage.
 * - Block numbers are plain `number`s (safe for 2^53 blocks).
 * - Accounts are SS58 strings (prefix 42).
 */
import type { KeyringPair } from '@polkadot/keyring/types';

/** Rao per TAO. */
export const RAO_PER_TAO = 1_000_000_000n;

/** Convert rao (bigint) to TAO (float, for display only). */
export function raoToTao(rao: bigint): number {
  return Number(rao / RAO_PER_TAO) + Number(rao % RAO_PER_TAO) / 1e9;
}

/** Convert TAO (decimal number or string like "1.5") to rao, exactly for up to 9 decimals. */
export function taoToRao(tao: number | string): bigint {
  const s = typeof tao === 'number' ? tao.toFixed(9) : tao.trim();
  const m = /^(\d+)(?:\.(\d{0,9})\d*)?$/.exec(s);
  if (!m) throw new RangeError(`not a non-negative TAO amount: ${String(tao)}`);
  return BigInt(m[1]!) * RAO_PER_TAO + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * Something that signs: a @polkadot/keyring sr25519 pair (`keyring.addFromUri('//Alice')`, or a wallet's
 * hotkey loaded from its secretPhrase/secretSeed). Devnet calls are authenticated by its signature.
 */
export type Signer = KeyringPair;

/** An axon endpoint as registered on chain by `serveAxon`. */
export interface AxonInfo {
  /** Hotkey that served it. */
  hotkey: string;
  /** Owning coldkey. */
  coldkey: string;
  /** IPv4 dotted quad or IPv6 text; "0.0.0.0" when never served. */
  ip: string;
  /** 4 or 6; 0 when never served. */
  ipType: 0 | 4 | 6;
  port: number;
  /** Software version, major·10^6 + minor·10^3 + patch. */
  version: number;
  /** 0 = TCP/HTTP (the only one used). */
  protocol: number;
  /** Block at which it was last served (0 = never). */
  block: number;
}

/** Snapshot of one subnet's neurons, arrays indexed by uid (length n). */
export interface Metagraph {
  netuid: number;
  /** Block at which the snapshot was taken. */
  block: number;
  n: number;
  uids: number[];
  hotkeys: string[];
  coldkeys: string[];
  /**
   * Stake weight of each hotkey, rao: subtensor's `total_stake` (the subnet's alpha + tao_weight × root TAO,
   * as `SubnetInfoRuntimeApi.get_metagraph` reports it); what validator permits and the miner's min-stake use.
   * On the devnet (no root network) it equals `alphaStake`.
   */
  stake: bigint[];
  /** Stake in the subnet's alpha (α), rao units (dynamic TAO); the devnet's per-hotkey stake. */
  alphaStake: bigint[];
  /** Stake on the root network (τ), rao; 0 on the devnet. */
  taoStake: bigint[];
  validatorPermit: boolean[];
  validatorTrust: number[];
  trust: number[];
  consensus: number[];
  incentive: number[];
  dividends: number[];
  /** Emission credited to each uid at the last epoch, in rao. */
  emission: bigint[];
  /** Active per the last epoch (last_update + activity_cutoff >= block). */
  active: boolean[];
  /** Block of each uid's last set_weights (registration block until then). */
  lastUpdate: number[];
  /** Block each uid was registered at. */
  blockAtRegistration: number[];
  axons: AxonInfo[];
}

/** A subnet's hyperparameters (names follow subtensor's `SubnetHyperparams`, camelCased). */
export interface Hyperparameters {
  /** Blocks between epochs (Yuma runs). */
  tempo: number;
  /** Consensus majority, u16 (32767 ≈ 0.5). */
  kappa: number;
  /** Bonds moving average, u64 out of 1_000_000 (900_000 = keep 0.9 of old bonds, α = 0.1). */
  bondsMovingAvg: number;
  maxAllowedUids: number;
  maxAllowedValidators: number;
  /** Blocks after registration during which a uid cannot be pruned. */
  immunityPeriod: number;
  /** Minimum blocks between two set_weights of one uid. */
  weightsRateLimit: number;
  /** Minimum number of non-zero weights per set_weights (self-weight only is always allowed). */
  minAllowedWeights: number;
  /** Max weight a single uid may receive, u16 (65535 = no limit). */
  maxWeightsLimit: number;
  /** set_weights must carry this version key (callers with a larger key are accepted too). */
  weightsVersion: number;
  /**
   * Blocks after which a uid that has not set weights counts as inactive: as the runtime API reports it since
   * subtensor's 2026 schedule, the effective ⌊activityCutoffFactor·tempo/1000⌋ (at least 1), read-only.
   */
  activityCutoff: number;
  /**
   * subtensor's `ActivityCutoffFactorMilli`: the cutoff in per mille of the tempo (1000..50000, default 13889),
   * set by the owner's `set_activity_cutoff_factor`. The devnet always has it; on subtensor it is read from
   * storage where the runtime has it, else left out.
   */
  activityCutoffFactor?: number;
  /** Burn cost of `burnedRegister`, rao. */
  burn: bigint;
  /** Max registrations per block (0 = unlimited). */
  maxRegistrationsPerBlock: number;
  /** Minimum blocks between two serve_axon calls of one hotkey. */
  servingRateLimit: number;
  /** Whether weights must be committed timelocked, then revealed by the chain (commit-reveal v3). */
  commitRevealWeightsEnabled: boolean;
  /** Epochs between a timelocked commit and its reveal (subtensor `RevealPeriodEpochs`, default 1). */
  revealPeriodEpochs: number;
  /** Yuma3 consensus (subtensor `yuma_version` = 3): see src/chain/yuma/epoch.ts `yuma3`. */
  yuma3Enabled: boolean;
  /**
   * Liquid alpha (subtensor `LiquidAlphaOn`, `AlphaValues`, `AlphaSigmoidSteepness`): with Yuma3, a per-bond
   * EMA rate between alphaLow/65535 and alphaHigh/65535 (src/chain/yuma/liquid-alpha.ts). Optional: the devnet
   * always has them (defaults off, 45875, 58982, 1000); a chain that does not report them leaves them out.
   */
  liquidAlphaEnabled?: boolean;
  alphaLow?: number;
  alphaHigh?: number;
  alphaSigmoidSteepness?: number;
  /** Bonds penalty β as a u16 (subtensor `BondsPenalty`, default 65535 = 1: bonds follow clipped weights). */
  bondsPenalty?: number;
  /**
   * The rest of what the Bittensor SDK's `SubnetHyperparameters` decodes from `SubnetHyperparamsV2`, read by the subtensor
   * adapter only (the devnet does not model them): u64 amounts and difficulties as bigint (burns in rao).
   */
  rho?: number;
  minDifficulty?: bigint;
  maxDifficulty?: bigint;
  adjustmentInterval?: number;
  registrationAllowed?: boolean;
  targetRegsPerInterval?: number;
  minBurn?: bigint;
  maxBurn?: bigint;
  adjustmentAlpha?: bigint;
  difficulty?: bigint;
  subnetIsActive?: boolean;
  transfersEnabled?: boolean;
  bondsResetEnabled?: boolean;
  userLiquidityEnabled?: boolean;
}

/** A commitment published by a hotkey (`commit`), as returned by `commitments`. */
export interface Commitment {
  hotkey: string;
  /** Block at which it was committed. */
  block: number;
  /** The committed bytes as UTF-8 text (devnet and subtensor `Raw` fields). */
  data: string;
}

/** Result of a state-changing call: the block it was included in. */
export interface CallReceipt {
  block: number;
  /** A stake swap as executed (devnet): rao paid in (fee included), rao paid out, fee (in the input's unit). */
  swap?: SwapReceipt;
}

/** What a stake add/remove executed (decimal rao strings, so it crosses JSON-RPC unchanged). */
export interface SwapReceipt {
  paidIn: string;
  paidOut: string;
  fee: string;
}

/**
 * Slippage protection of a stake call (subtensor's `add_stake_limit` / `remove_stake_limit`): `limitPrice` in rao
 * of τ per α — a stake executes only while the price stays at or below it, an unstake while it stays at or above
 * it; `allowPartial` executes the part that fits instead of failing with SlippageTooHigh.
 */
export interface StakeLimit {
  limitPrice: bigint;
  allowPartial?: boolean;
}

/** A subnet's dynamic-TAO pool as the devnet reports it (the fields of subtensor's DynamicInfo the CLI shows). */
export interface SubnetPool {
  netuid: number;
  /** τ and α reserves (`SubnetTAO`, `SubnetAlphaIn`) and α outstanding (`SubnetAlphaOut`), rao. */
  taoIn: bigint;
  alphaIn: bigint;
  alphaOut: bigint;
  /** Spot price, rao of τ per α (1 τ/α on the root network). */
  priceRao: bigint;
  /** `SubnetMovingPrice` (τ per α). */
  movingPrice: number;
  /** The swap fee rate, of 65535. */
  feeRate: number;
  /** Per-block injections of the last block: `SubnetTaoInEmission`, `SubnetAlphaInEmission`, `SubnetAlphaOutEmission`. */
  taoInEmission: bigint;
  alphaInEmission: bigint;
  alphaOutEmission: bigint;
}

/** Result of `triggerEpoch`: the block the triggered epoch runs at (subtensor's `PendingEpochAt`). */
export interface TriggerEpochReceipt extends CallReceipt {
  firesAt: number;
}

/** Result of `burnedRegister`. */
export interface RegistrationReceipt extends CallReceipt {
  uid: number;
  /** The hotkey that was pruned to make room, if the subnet was full. */
  replacedHotkey?: string;
}

export interface ServeAxonParams {
  netuid: number;
  ip: string;
  port: number;
  /** Software version, major·10^6 + minor·10^3 + patch. */
  version: number;
  /** 0 = TCP (default). */
  protocol?: number;
}

export interface SetWeightsParams {
  netuid: number;
  uids: number[];
  /** u16 weights aligned with uids; need not be normalised. */
  weights: number[];
  versionKey: number;
}

/** A randomness beacon whose round signatures unlock timelocked commits (drand quicknet, or the devnet's own). */
export interface BeaconInfo {
  /** 'drand-quicknet', or 'devnet-INSECURE-DEV' for the devnet's local key. */
  name: string;
  /** BLS12-381 G2 public key, compressed, hex without 0x (96 bytes). */
  publicKey: string;
  /** Unix time of round 1, ms. */
  genesisMs: number;
  /** Time between rounds, ms (quicknet: 3000). */
  periodMs: number;
}

/** What a validator needs to build a timelocked commit on this chain. */
export interface TimelockInfo {
  beacon: BeaconInfo;
  /** Expected block time, ms (finney 12 000). */
  blockTimeMs: number;
  /** The runtime's `CommitRevealWeightsVersion` (subtensor: 4). */
  commitRevealVersion: number;
}

/** `commit_timelocked_weights`: an encrypted weights payload and the beacon round that unlocks it. */
export interface TimelockedCommitParams {
  netuid: number;
  /** Compressed TLECiphertext of a SCALE `WeightsTlockPayload` (src/chain/timelock/). */
  commit: Uint8Array;
  revealRound: number;
  commitRevealVersion: number;
}

/** Unsubscribe function returned by `onBlock`. */
export type Unsubscribe = () => void;

/**
 * A Bittensor-like chain. Every write is signed by the account that subtensor would require as origin:
 * the coldkey for registration and stake, the hotkey for serve_axon, set_weights and commit.
 * Writes reject with typed errors from src/chain/errors.ts (e.g. `WeightsRateLimitError`).
 */
export interface Chain {
  /** Latest block number. */
  currentBlock(): Promise<number>;
  /** Call `cb` with each new block number; returns an unsubscribe function. */
  onBlock(cb: (block: number) => void): Unsubscribe;
  /** Full metagraph of a subnet. */
  metagraph(netuid: number): Promise<Metagraph>;
  /** Hyperparameters of a subnet. */
  hyperparameters(netuid: number): Promise<Hyperparameters>;
  /** uid of a hotkey on a subnet, or undefined if not registered. */
  uidOf(netuid: number, hotkey: string): Promise<number | undefined>;
  /** Free balance of a coldkey, rao. */
  balance(coldkey: string): Promise<bigint>;

  /** Register `hotkey` on `netuid`, paying the burn from `coldkey`'s balance (signed by the coldkey). */
  burnedRegister(netuid: number, coldkey: Signer, hotkey: string): Promise<RegistrationReceipt>;
  /** Publish the axon address of the signing hotkey on every subnet it is registered on. */
  serveAxon(hotkey: Signer, params: ServeAxonParams): Promise<CallReceipt>;
  /** Set the signing hotkey's weights on a subnet. */
  setWeights(hotkey: Signer, params: SetWeightsParams): Promise<CallReceipt>;
  /** Publish a commitment (e.g. circuit ids served) for the signing hotkey. */
  commit(hotkey: Signer, netuid: number, data: string): Promise<CallReceipt>;
  /** All current commitments on a subnet. */
  commitments(netuid: number): Promise<Commitment[]>;
  /** The u16 weights a uid last set on a subnet, as stored ([uid, weight] pairs, zeros dropped). */
  weights?(netuid: number, uid: number): Promise<Array<[number, number]>>;

  /** Commit-reveal v3: commit timelocked weights (signed by the hotkey); the chain reveals them at the reveal round. */
  commitTimelockedWeights?(hotkey: Signer, params: TimelockedCommitParams): Promise<CallReceipt>;
  /** Beacon, block time and commit-reveal version, for building timelocked commits. */
  timelockInfo?(): Promise<TimelockInfo>;

  /**
   * Move `amount` rao (τ) from the coldkey's balance onto `hotkey` as stake. `netuid`: the subnet whose α the
   * τ buys (dynamic TAO; subtensor defaults to the connection's stake subnet, the devnet swaps only on a
   * subnet with an alpha pool and otherwise stakes τ globally).
   */
  addStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt>;
  /** Move `amount` rao of stake on `hotkey` back to the coldkey's balance (α of `netuid` where it has a pool). */
  removeStake(coldkey: Signer, hotkey: string, amount: bigint, netuid?: number, limit?: StakeLimit): Promise<CallReceipt>;
  /**
   * swap_stake (swap_stake_limit with `limit`: origin/destination price ratio, rao): move `amount` rao of the
   * hotkey's α from `originNetuid` to `destinationNetuid` (0: the root network), as the coldkey.
   */
  swapStake?(coldkey: Signer, hotkey: string, originNetuid: number, destinationNetuid: number, amount: bigint, limit?: StakeLimit): Promise<CallReceipt>;
  /** The subnet's pool (reserves, price, fee; netuid 0: the root network), where the backend reads it. */
  subnetPool?(netuid: number): Promise<SubnetPool>;

  /**
   * The subnet owner's epoch-schedule calls (subtensor's set_tempo, set_activity_cutoff_factor, trigger_epoch; signed by
   * the owner coldkey; docs/chain.md "Epoch schedule"). Absent on a backend that cannot send them.
   */
  setTempo?(owner: Signer, netuid: number, tempo: number): Promise<CallReceipt>;
  setActivityCutoffFactor?(owner: Signer, netuid: number, factorMilli: number): Promise<CallReceipt>;
  triggerEpoch?(owner: Signer, netuid: number): Promise<TriggerEpochReceipt>;
  /** AdminUtils.sudo_set_tempo (root: the devnet's sudo key; not sent to subtensor, where it needs the Sudo pallet). */
  sudoSetTempo?(root: Signer, netuid: number, tempo: number): Promise<CallReceipt>;

  /** Release connections / timers. */
  close(): Promise<void>;
}

/** Devnet-only extras (not on a real network). */
export interface DevChain extends Chain {
  /** Credit `amount` rao to `coldkey` out of thin air (dev faucet). */
  faucet(coldkey: string, amount: bigint): Promise<CallReceipt>;
  /**
   * Create a subnet owned by `owner` (coldkey ss58) and return its netuid; with `pool` (τ and α reserves, rao)
   * its stake is α swapped through that alpha pool (docs/chain.md "Devnet alpha pools").
   */
  createSubnet(owner: string, overrides?: Partial<Hyperparameters>, pool?: { tao: bigint; alpha: bigint }): Promise<number>;
  /** Existing netuids. */
  subnets(): Promise<number[]>;
}
