/**
 * Devnet block step: the owner's cut and pending emission of each block, and at the epochs subtensor's
 * 2026 scheduler makes due a Yuma run whose emission is credited as stake (docs/chain.md "Clock and
 * emission", "Epoch schedule").
 */
import { runEpoch } from '../yuma/epoch.js';
import { legacyLastEpochBlock, scheduleBlock, shouldRunEpoch, type ScheduleState } from '../yuma/schedule.js';
import { OWNER_CUT_PER_MILLE, liquidAlphaOf } from './hyperparams.js';
import { epochIndex } from '../timelock/commit.js';
import type { Store, SubnetRow } from './store.js';
import { distributeEmission, pendingEpochAlpha } from './coinbase.js';
import { stakeWeight, taoWeightFx } from './stake.js';

/**
 * A subnet's schedule state before `block` (subtensor's LastEpochBlock, PendingEpochAt, BlocksSinceLastStep).
 * Every due slot runs or is deferred on the devnet, so BlocksSinceLastStep is the blocks since LastEpochBlock.
 * A row from before the 2026 schedule (lastEpoch −1) is anchored as migrate_dynamic_tempo does.
 */
export function scheduleStateOf(s: SubnetRow, block: number): ScheduleState {
  const tempo = s.hyperparams.tempo;
  const lastEpochBlock = s.lastEpoch >= 0 ? s.lastEpoch : legacyLastEpochBlock(Math.max(0, block - 1), s.netuid, tempo);
  return { tempo, lastEpochBlock, pendingEpochAt: s.pendingEpochAt, blocksSinceLastStep: Math.max(0, block - 1 - lastEpochBlock) };
}

/**
 * subtensor's `SubnetEpochIndex` before `block`'s step (epochs run so far). A row from before the counter is
 * seeded with the legacy index ⌊(block + netuid + 1)/(tempo + 1)⌋ as migrate_dynamic_tempo does, so commits
 * queued under the legacy numbering stay continuous (docs/chain.md "Commit-reveal weights").
 */
export function epochIndexOf(s: SubnetRow, block: number): number {
  return s.epochIndex >= 0 ? s.epochIndex : epochIndex(Math.max(0, block - 1), s.netuid, s.hyperparams.tempo);
}

/**
 * `current_epoch_with_lookahead` for a call dispatched in `block` after its block step: the counter, plus one
 * while an epoch is due but not yet run (deferred by the per-block cap) — such a commit belongs to that epoch.
 */
export function commitEpochAt(s: SubnetRow, block: number): { epoch: number; state: ScheduleState; lookahead: boolean } {
  const state = scheduleStateOf(s, block + 1);
  const lookahead = shouldRunEpoch(state, block);
  return { epoch: epochIndexOf(s, block + 1) + (lookahead ? 1 : 0), state, lookahead };
}

/**
 * The epochs of `block`: which subnets run (at most MaxEpochsPerBlock), which are due but deferred, and
 * every subnet's schedule state after it.
 */
export function epochsAt(store: Store, block: number): { run: Set<number>; deferred: Set<number>; next: Map<number, ScheduleState> } {
  const states = new Map(store.netuids().map((n) => [n, scheduleStateOf(store.subnet(n)!, block)] as const));
  const { run, deferred, next } = scheduleBlock(states, block);
  return { run: new Set(run), deferred: new Set(deferred), next };
}

export function blockStep(store: Store, s: SubnetRow, block: number, emissionPerBlock: bigint, sched: { run: boolean; state: ScheduleState }): void {
  // a subnet with an alpha pool gets its emission from the dynamic-TAO coinbase (./coinbase.ts)
  if (!store.pool(s.netuid)) {
    const ownerCut = (emissionPerBlock * OWNER_CUT_PER_MILLE) / 1000n;
    store.setBalance(s.owner, store.balance(s.owner) + ownerCut);
    s.pendingEmission += emissionPerBlock - ownerCut;
  }
  // run_coinbase increments SubnetEpochIndex for each consumed slot; the epoch then sees the new value
  s.epochIndex = epochIndexOf(s, block) + (sched.run ? 1 : 0);
  if (sched.run) {
    applyEpoch(store, s, block);
    s.pendingEmission = 0n;
  }
  s.lastEpoch = sched.state.lastEpochBlock;
  s.pendingEpochAt = sched.state.pendingEpochAt;
  store.updateSubnet(s);
}

/**
 * Commit-reveal subnets: per neuron, the block of its earliest commit still queued (not revealed, not expired:
 * `is_commit_expired` against the subnet's epoch index, so the queue of epochs current − revealPeriodEpochs ..
 * current), for the epoch's column mask (docs/chain.md "Yuma consensus"); undefined when commit-reveal is off.
 */
export function pendingCommitBlocks(store: Store, s: SubnetRow, hotkeys: string[]): Array<number | undefined> | undefined {
  const h = s.hyperparams;
  if (!h.commitRevealWeightsEnabled) return undefined;
  const current = s.epochIndex;
  const earliest = new Map<string, number>();
  for (let e = Math.max(0, current - h.revealPeriodEpochs); e <= current; e++) {
    for (const c of store.timelockedCommits(s.netuid, e)) earliest.set(c.hotkey, Math.min(c.block, earliest.get(c.hotkey) ?? Infinity));
  }
  return hotkeys.map((k) => earliest.get(k));
}

/**
 * subtensor's `LastMechansimStepBlock` (the block of the subnet's last epoch run, the bond-reset cut-off): kept apart from
 * `LastEpochBlock`, which set_tempo moves without running an epoch (src/chain/devnet/admin.ts). Data folders from before
 * it fall back to LastEpochBlock, which equalled it until set_tempo existed.
 */
export const lastStepMetaKey = (netuid: number) => `last_step:${netuid}`;

/**
 * Run Yuma on a subnet and credit the emission to each hotkey's owner as stake; on a subnet with an alpha pool the
 * epoch's α pots are paid as subtensor's `distribute_emission` does (./coinbase.ts).
 */
export function applyEpoch(store: Store, s: SubnetRow, block: number): void {
  const lastStep = store.getMeta(lastStepMetaKey(s.netuid));
  store.setMeta(lastStepMetaKey(s.netuid), String(block));
  const neurons = store.neurons(s.netuid);
  const pool = store.pool(s.netuid);
  if (neurons.length === 0) {
    if (pool) distributeEmission(store, s, [], [], []); // the owner cut is still paid; the pots are drained
    return;
  }
  const h = s.hyperparams;
  const twFx = taoWeightFx(store);
  const out = runEpoch({
    block,
    lastEpochBlock: lastStep === undefined ? s.lastEpoch : Number(lastStep),
    tempo: h.tempo,
    yuma3: h.yuma3Enabled,
    liquidAlpha: liquidAlphaOf(h),
    commitBlocks: pendingCommitBlocks(store, s, neurons.map((n) => n.hotkey)),
    stake: neurons.map((n) => stakeWeight(store, s.netuid, n.hotkey, twFx).total),
    lastUpdate: neurons.map((n) => n.lastUpdate),
    blockAtRegistration: neurons.map((n) => n.registeredAt),
    validatorPermit: neurons.map((n) => n.validatorPermit),
    weights: neurons.map((n) => n.weights),
    bonds: neurons.map((n) => n.bonds),
    kappa: h.kappa,
    bondsMovingAvg: h.bondsMovingAvg,
    bondsPenalty: (h.bondsPenalty ?? 65535) / 65535,
    activityCutoff: h.activityCutoff,
    maxAllowedValidators: h.maxAllowedValidators,
    emission: pool ? pendingEpochAlpha(pool) : s.pendingEmission,
  });
  neurons.forEach((n, i) => {
    const emission = out.serverEmission[i]! + out.validatorEmission[i]!;
    store.putNeuron({
      ...n,
      active: out.active[i]!,
      validatorPermit: out.validatorPermit[i]!,
      consensus: out.consensus[i]!,
      incentive: out.incentive[i]!,
      dividends: out.dividends[i]!,
      trust: out.trust[i]!,
      validatorTrust: out.validatorTrust[i]!,
      emission,
      bonds: out.bonds[i]!,
    });
    if (emission > 0n && !pool) store.creditStake(s.netuid, n.hotkey, n.coldkey, emission);
  });
  if (pool) distributeEmission(store, s, neurons, out.serverEmission, out.validatorEmission);
}
