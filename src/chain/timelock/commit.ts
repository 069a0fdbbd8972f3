/**
 * Building and sending commit-reveal v3 weights (docs/chain.md "Commit-reveal weights"), as the
 * Bittensor SDK does through bittensor-drand's `generate_commit`: the reveal round is the beacon round
 * due 3 blocks into the epoch `revealPeriodEpochs` after the current one (rounded down), the SCALE
 * payload is timelock-encrypted to it, and `commit_timelocked_weights` carries both.
 */
import { CommitRevealEnabledError, UnsupportedOnChainError } from '../errors.js';
import type { BeaconInfo, CallReceipt, Chain, SetWeightsParams, Signer } from '../types.js';
import { encodeWeightsPayload } from './payload.js';
import { serializeTlock, tlockEncrypt } from './tlock.js';

/** Blocks into the reveal epoch the SDK aims the round at (bittensor-drand `SECURITY_BLOCK_OFFSET`). */
export const SECURITY_BLOCK_OFFSET = 3;

export interface RevealRoundInput {
  currentBlock: number;
  netuid: number;
  tempo: number;
  revealPeriodEpochs: number;
  blockTimeMs: number;
  beacon: BeaconInfo;
  nowMs: number;
}

/**
 * The legacy modulo epoch index ⌊(block + netuid + 1) / (tempo + 1)⌋: what bittensor-drand's `generate_commit`
 * still computes, and migrate_dynamic_tempo's seed of `SubnetEpochIndex`. The chain itself now counts epochs in
 * `SubnetEpochIndex` (docs/chain.md "Commit-reveal weights").
 */
export function epochIndex(block: number, netuid: number, tempo: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** First block of a legacy epoch (bittensor-drand's `first_reveal_blk`). */
export function firstBlockOfEpoch(epoch: number, netuid: number, tempo: number): number {
  return Math.max(0, epoch * (tempo + 1) - (netuid + 1));
}

/** bittensor-drand's reveal-round computation, with the beacon's genesis and period taken from `beacon`. */
export function revealRoundFor(i: RevealRoundInput): number {
  const revealEpoch = epochIndex(i.currentBlock, i.netuid, i.tempo) + i.revealPeriodEpochs;
  const target = firstBlockOfEpoch(revealEpoch, i.netuid, i.tempo) + SECURITY_BLOCK_OFFSET;
  const targetMs = i.nowMs + Math.max(0, target - i.currentBlock) * i.blockTimeMs;
  return Math.max(1, Math.floor((targetMs - i.beacon.genesisMs) / i.beacon.periodMs));
}

/** The encrypted commit bytes for `params`, locked to `revealRound` of `beacon`. */
export function buildTimelockedCommit(hotkeyPublicKey: Uint8Array, params: SetWeightsParams, beacon: BeaconInfo, revealRound: number): Buffer {
  const payload = encodeWeightsPayload({ hotkey: hotkeyPublicKey, uids: params.uids, values: params.weights, versionKey: BigInt(params.versionKey) });
  return serializeTlock(tlockEncrypt(Buffer.from(beacon.publicKey, 'hex'), revealRound, payload));
}

export interface WeightsReceipt extends CallReceipt {
  /** Set when the weights were committed timelocked: the beacon round that reveals them. */
  revealRound?: number;
}

/**
 * Set weights the way the subnet takes them: `set_weights` when commit-reveal is off, otherwise a
 * timelocked commit the chain reveals itself (never a direct set_weights it would refuse).
 */
export async function setWeightsOrCommit(chain: Chain, hotkey: Signer, params: SetWeightsParams, nowMs = Date.now()): Promise<WeightsReceipt> {
  const hp = await chain.hyperparameters(params.netuid);
  if (!hp.commitRevealWeightsEnabled) return chain.setWeights(hotkey, params);
  if (!chain.commitTimelockedWeights || !chain.timelockInfo) {
    throw new CommitRevealEnabledError(`subnet ${params.netuid} takes weights only by commit-reveal and this chain backend cannot send timelocked commits`,
      { hint: new UnsupportedOnChainError('').hint });
  }
  const [info, currentBlock] = await Promise.all([chain.timelockInfo(), chain.currentBlock()]);
  const revealRound = revealRoundFor({
    currentBlock, netuid: params.netuid, tempo: hp.tempo, revealPeriodEpochs: hp.revealPeriodEpochs,
    blockTimeMs: info.blockTimeMs, beacon: info.beacon, nowMs,
  });
  const commit = buildTimelockedCommit(hotkey.publicKey, params, info.beacon, revealRound);
  const r = await chain.commitTimelockedWeights(hotkey, { netuid: params.netuid, commit, revealRound, commitRevealVersion: info.commitRevealVersion });
  return { ...r, revealRound };
}
