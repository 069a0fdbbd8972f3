/**
 * Devnet commit-reveal v3 (docs/chain.md "Commit-reveal weights"), as subtensor's
 * `internal_commit_timelocked_weights` and `reveal_crv3_commits_for_subnet` do it (opentensor/subtensor
 * 14bc6f9f): commits are queued under the epoch they were made in (`SubnetEpochIndex` with the look-ahead of
 * `current_epoch_with_lookahead`); every block, commits of epoch `current − revealPeriodEpochs` whose
 * beacon round is published are decrypted with the round's signature, decoded, checked against the
 * committer, and applied through the same checks as set_weights; older ones expire.
 *
 * Stricter than subtensor (which accepts any bytes and drops them silently at reveal): a commit that
 * does not parse, or is locked to a round published before the commit's epoch began or due only after
 * its reveal epoch, is refused at once with a typed error.
 */
import { decodeAddress } from '@polkadot/util-crypto';
import {
  CommitRevealDisabledError, CommittingWeightsTooFastError, IncorrectCommitRevealVersionError, RevealRoundOutOfRangeError,
  TooManyUnrevealedCommitsError,
} from '../errors.js';
import type { BeaconInfo, CallReceipt } from '../types.js';
import { nextEpochStartBlock } from '../yuma/schedule.js';
import { latestRound, type LocalBeacon } from '../timelock/beacon.js';
import { decodeWeightsPayload } from '../timelock/payload.js';
import { deserializeTlock, tlockDecrypt } from '../timelock/tlock.js';
import type { CallParams } from './calls.js';
import { commitEpochAt } from './clock.js';
import { storeWeights } from './dispatch.js';
import { neuronOrThrow, subnetOrThrow } from './reads.js';
import type { Store } from './store.js';

/** subtensor's `CommitRevealWeightsVersion` default. */
export const COMMIT_REVEAL_VERSION = 4;
/** Unrevealed commits one hotkey may queue per epoch. */
export const MAX_UNREVEALED_COMMITS = 10;

/** What a commit is checked against: the beacon, the wall clock and the block time. */
export interface TimelockContext {
  beacon: BeaconInfo;
  nowMs: number;
  blockTimeMs: number;
}

/** The outcome of one reveal attempt, for logs and tests. */
export interface RevealEvent {
  netuid: number;
  hotkey: string;
  block: number;
  round: number;
  /** undefined = weights applied; otherwise why the commit was dropped. */
  error?: string;
}

export function doCommitTimelockedWeights(store: Store, hotkey: string, p: CallParams<'commitTimelockedWeights'>, block: number, ctx: TimelockContext): CallReceipt {
  const s = subnetOrThrow(store, p.netuid);
  const h = s.hyperparams;
  if (!h.commitRevealWeightsEnabled) throw new CommitRevealDisabledError(`subnet ${p.netuid} has commit-reveal off; use set_weights`);
  if (p.commitRevealVersion !== COMMIT_REVEAL_VERSION) {
    throw new IncorrectCommitRevealVersionError(`commit-reveal version ${p.commitRevealVersion}; this chain runs version ${COMMIT_REVEAL_VERSION}`);
  }
  const me = neuronOrThrow(store, p.netuid, hotkey);
  if (me.lastUpdate !== 0 && block - me.lastUpdate < h.weightsRateLimit) {
    throw new CommittingWeightsTooFastError(`uid ${me.uid} last committed at block ${me.lastUpdate}; next commit allowed at block ${me.lastUpdate + h.weightsRateLimit}`);
  }
  deserializeTlock(Buffer.from(p.commit, 'hex'));
  const { epoch, state, lookahead } = commitEpochAt(s, block);
  const next = nextEpochStartBlock(state);
  if (next === null) throw new RevealRoundOutOfRangeError(`subnet ${p.netuid} has tempo 0: no epoch runs, so no commit is ever revealed`);
  // the commit's epoch began at the slot that set the counter (or begins now, when the due slot is deferred)
  const epochStart = lookahead ? block : state.lastEpochBlock;
  // rounds published before this epoch began are refused (margin: the client's encryption time)
  const epochStartMs = ctx.nowMs - (block - epochStart + 1) * ctx.blockTimeMs;
  const stale = latestRound(ctx.beacon, epochStartMs);
  if (p.revealRound <= stale) {
    throw new RevealRoundOutOfRangeError(`reveal round ${p.revealRound} was published before this epoch began (round ${stale} by then): anyone could read these weights now`);
  }
  // the reveal epoch (epoch + revealPeriodEpochs) runs from the revealPeriodEpochs-th epoch slot after this
  // one until the next slot, on the schedule as it stands (docs/chain.md "Epoch schedule")
  const firstSlot = lookahead ? block + 1 + state.tempo : next;
  const revealEnds = firstSlot + h.revealPeriodEpochs * state.tempo - 1;
  const lastRound = latestRound(ctx.beacon, ctx.nowMs + (revealEnds - block) * ctx.blockTimeMs);
  if (p.revealRound > lastRound) {
    throw new RevealRoundOutOfRangeError(`reveal round ${p.revealRound} is due after the reveal epoch ends (block ${revealEnds}, about round ${lastRound}); the commit would expire unrevealed — commit again after the next epoch`);
  }
  const mine = store.timelockedCommits(p.netuid, epoch).filter((c) => c.hotkey === hotkey).length;
  if (mine >= MAX_UNREVEALED_COMMITS) throw new TooManyUnrevealedCommitsError(`hotkey has ${mine} unrevealed commits in epoch ${epoch}`);
  store.addTimelockedCommit({ netuid: p.netuid, epoch, hotkey, block, round: p.revealRound, commitHex: p.commit });
  store.putNeuron({ ...me, lastUpdate: block });
  return { block };
}

/**
 * Reveal the commits due at `block` on one subnet (call before the block's epoch runs, and not on a subnet whose
 * due epoch is deferred). `current` is `current_epoch_with_lookahead`: the subnet's epoch index, plus one when
 * its epoch runs at this block.
 */
export function revealCommits(store: Store, netuid: number, block: number, current: number, beacon: LocalBeacon, nowMs: number): RevealEvent[] {
  const h = store.subnet(netuid)!.hyperparams;
  const revealEpoch = current - h.revealPeriodEpochs;
  store.expireTimelockedCommits(netuid, Math.max(0, revealEpoch));
  if (revealEpoch < 0) return [];
  const out: RevealEvent[] = [];
  for (const c of store.timelockedCommits(netuid, revealEpoch)) {
    const sig = beacon.pulse(c.round, nowMs);
    if (!sig) continue; // retried each block of the reveal epoch
    store.deleteTimelockedCommit(c.id);
    const ev: RevealEvent = { netuid, hotkey: c.hotkey, block, round: c.round };
    try {
      const payload = decodeWeightsPayload(tlockDecrypt(deserializeTlock(Buffer.from(c.commitHex, 'hex')), sig));
      if (Buffer.compare(Buffer.from(payload.hotkey), Buffer.from(decodeAddress(c.hotkey))) !== 0) throw new Error('the payload names another hotkey than the committer');
      storeWeights(store, c.hotkey, { netuid, uids: payload.uids, weights: payload.values, versionKey: Number(payload.versionKey) }, block);
    } catch (e) {
      ev.error = (e as Error).message;
    }
    out.push(ev);
  }
  return out;
}
