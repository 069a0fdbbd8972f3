/**
 * Devnet block step: the owner's cut and pending emission of each block, and at subtensor's epoch
 * blocks a Yuma run whose emission is credited as stake (docs/chain.md "Clock and emission").
 */
import { runEpoch } from '../yuma/epoch.js';
import { OWNER_CUT_PER_MILLE, liquidAlphaOf } from './hyperparams.js';
import { epochIndex } from '../timelock/commit.js';
import type { Store, SubnetRow } from './store.js';

/** Epoch condition of subtensor: (block + netuid + 1) mod (tempo + 1) == 0. */
export function isEpochBlock(block: number, netuid: number, tempo: number): boolean {
  return (block + netuid + 1) % (tempo + 1) === 0;
}

export function blockStep(store: Store, s: SubnetRow, block: number, emissionPerBlock: bigint): void {
  const ownerCut = (emissionPerBlock * OWNER_CUT_PER_MILLE) / 1000n;
  store.setBalance(s.owner, store.balance(s.owner) + ownerCut);
  s.pendingEmission += emissionPerBlock - ownerCut;
  if (isEpochBlock(block, s.netuid, s.hyperparams.tempo)) {
    applyEpoch(store, s, block);
    s.pendingEmission = 0n;
    s.lastEpoch = block;
  }
  store.updateSubnet(s);
}

/**
 * Commit-reveal subnets: per neuron, the block of its earliest commit still queued (not revealed, not expired;
 * the queue of epochs current − revealPeriodEpochs .. current), for the epoch's column mask (docs/chain.md
 * "Yuma consensus"); undefined when commit-reveal is off.
 */
export function pendingCommitBlocks(store: Store, s: SubnetRow, block: number, hotkeys: string[]): Array<number | undefined> | undefined {
  const h = s.hyperparams;
  if (!h.commitRevealWeightsEnabled) return undefined;
  const current = epochIndex(block, s.netuid, h.tempo);
  const earliest = new Map<string, number>();
  for (let e = Math.max(0, current - h.revealPeriodEpochs); e <= current; e++) {
    for (const c of store.timelockedCommits(s.netuid, e)) earliest.set(c.hotkey, Math.min(c.block, earliest.get(c.hotkey) ?? Infinity));
  }
  return hotkeys.map((k) => earliest.get(k));
}

/** Run Yuma on a subnet and credit the emission to each hotkey's owner as stake (α on a subnet with an alpha pool). */
export function applyEpoch(store: Store, s: SubnetRow, block: number): void {
  const neurons = store.neurons(s.netuid);
  if (neurons.length === 0) return;
  const h = s.hyperparams;
  const out = runEpoch({
    block,
    lastEpochBlock: s.lastEpoch,
    tempo: h.tempo,
    yuma3: h.yuma3Enabled,
    liquidAlpha: liquidAlphaOf(h),
    commitBlocks: pendingCommitBlocks(store, s, block, neurons.map((n) => n.hotkey)),
    stake: neurons.map((n) => store.subnetStake(s.netuid, n.hotkey)),
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
    emission: s.pendingEmission,
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
    if (emission > 0n) store.creditStake(s.netuid, n.hotkey, n.coldkey, emission);
  });
}
