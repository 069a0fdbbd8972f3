/**
 * subtensor's 2026 epoch scheduler and activity cutoff ("dynamic tempo"; opentensor/subtensor
 * 14bc6f9f964b9cc362e9635dd110a487fa5d15a0: coinbase/run_coinbase.rs `should_run_epoch`,
 * `blocks_until_next_auto_epoch`, `get_next_epoch_start_block`, `drain_pending`; subnets/subnet.rs;
 * utils/misc.rs `get_activity_cutoff_blocks`; migrations/migrate_dynamic_tempo.rs). Pure functions of
 * a subnet's schedule state (docs/chain.md "Epoch schedule"); the devnet's block step runs them (src/chain/devnet/clock.ts).
 */

/** Owner-set tempo bounds (`MIN_TEMPO`, `MAX_TEMPO`); MAX_TEMPO also bounds blocks without a step. */
export const MIN_TEMPO = 360;
export const MAX_TEMPO = 50_400;
/** Activity cutoff as per-mille of the tempo: bounds and default (13 889 ≈ the legacy 5000 blocks at tempo 360). */
export const MIN_ACTIVITY_CUTOFF_FACTOR_MILLI = 1_000;
export const MAX_ACTIVITY_CUTOFF_FACTOR_MILLI = 50_000;
export const INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI = 13_889;
/** `MaxEpochsPerBlock` of the production runtime (32 on fast-blocks builds). */
export const MAX_EPOCHS_PER_BLOCK = 2;

export interface ScheduleState {
  tempo: number;
  /** `LastEpochBlock`: the last consumed slot (advances on every due slot, and on set_tempo). */
  lastEpochBlock: number;
  /** `PendingEpochAt`: an owner-triggered epoch (trigger_epoch) or a deferred one; 0 = none. */
  pendingEpochAt: number;
  /** `BlocksSinceLastStep`. */
  blocksSinceLastStep: number;
}

/** `get_activity_cutoff_blocks`: ⌊factor·tempo/1000⌋, at least 1. */
export function activityCutoffBlocks(factorMilli: number, tempo: number): number {
  return Math.max(1, Math.floor((factorMilli * tempo) / 1000));
}

/** migrate_dynamic_tempo's conversion of a legacy cutoff in blocks: ⌈1000·cutoff/tempo⌉, clamped to the bounds. */
export function activityCutoffFactorFromBlocks(cutoffBlocks: number, tempo: number): number {
  const raw = tempo === 0 ? INITIAL_ACTIVITY_CUTOFF_FACTOR_MILLI : Math.floor((cutoffBlocks * 1000 + tempo - 1) / tempo);
  return Math.min(MAX_ACTIVITY_CUTOFF_FACTOR_MILLI, Math.max(MIN_ACTIVITY_CUTOFF_FACTOR_MILLI, raw));
}

/** `should_run_epoch`: never at tempo 0; a due pending epoch; the MAX_TEMPO safety net; else tempo blocks since the last slot. */
export function shouldRunEpoch(s: ScheduleState, block: number): boolean {
  if (s.tempo === 0) return false;
  if (s.pendingEpochAt > 0 && block >= s.pendingEpochAt) return true;
  if (s.blocksSinceLastStep > MAX_TEMPO) return true;
  return Math.max(0, block - s.lastEpochBlock) >= s.tempo;
}

/** `blocks_until_next_auto_epoch` (Infinity for u64::MAX at tempo 0). */
export function blocksUntilNextAutoEpoch(s: ScheduleState, block: number): number {
  if (s.tempo === 0) return Infinity;
  return Math.max(0, s.lastEpochBlock + s.tempo - block);
}

/** `AdminFreezeWindow`'s default: admin calls are refused in the last 10 blocks before an epoch. */
export const DEFAULT_ADMIN_FREEZE_WINDOW = 10;
/** `OwnerHyperparamRateLimit`'s default: an owner hyperparameter (or trigger) at most once per 2 tempos. */
export const OWNER_HYPERPARAM_RATE_LIMIT_EPOCHS = 2;

/**
 * `is_in_admin_freeze_window` (utils/misc.rs): never at tempo 0; frozen while a triggered epoch is pending, and in
 * the last `window` blocks before the next automatic epoch.
 */
export function isInAdminFreezeWindow(s: ScheduleState, block: number, window: number): boolean {
  if (s.tempo === 0) return false;
  if (s.pendingEpochAt > 0 && s.pendingEpochAt > block) return true;
  return blocksUntilNextAutoEpoch(s, block) < window;
}

/** `check_passes_rate_limit` (utils/rate_limiting.rs): the first call (last block 0) or `limit` blocks after the last. */
export function passesRateLimit(limit: number, block: number, lastBlock: number): boolean {
  return lastBlock === 0 || block - lastBlock >= limit;
}

/** `get_next_epoch_start_block`: min(LastEpochBlock + tempo, PendingEpochAt if set); null at tempo 0. */
export function nextEpochStartBlock(s: ScheduleState): number | null {
  if (s.tempo === 0) return null;
  const auto = s.lastEpochBlock + s.tempo;
  return s.pendingEpochAt > 0 ? Math.min(auto, s.pendingEpochAt) : auto;
}

/** register_network's first anchor: now − (netuid mod tempo), staggering subnets created together. */
export function initialLastEpochBlock(now: number, netuid: number, tempo: number): number {
  return Math.max(0, now - (netuid % Math.max(1, tempo)));
}

/**
 * migrate_dynamic_tempo's anchor: the LastEpochBlock whose next slot (`+ tempo`) is the block the legacy
 * rule `(block + netuid + 1) mod (tempo + 1) = 0` would have fired next.
 */
export function legacyLastEpochBlock(now: number, netuid: number, tempo: number): number {
  const remainder = (now + netuid + 1) % (tempo + 1);
  const untilNext = Math.max(0, tempo - remainder);
  return Math.max(0, now - Math.max(0, tempo - untilNext));
}

/**
 * One block of `drain_pending`'s scheduling: the due subnets in order, at most `cap` of them run, the
 * rest are deferred to the next block (PendingEpochAt = block + 1). Every due slot is consumed
 * (LastEpochBlock = block, PendingEpochAt = 0) whether it ran or was skipped; BlocksSinceLastStep
 * counts up and resets on a run.
 */
export function scheduleBlock(subnets: ReadonlyMap<number, ScheduleState>, block: number, cap = MAX_EPOCHS_PER_BLOCK): {
  run: number[]; deferred: number[]; next: Map<number, ScheduleState>;
} {
  const run: number[] = [];
  const deferred: number[] = [];
  const next = new Map<number, ScheduleState>();
  for (const [netuid, s0] of subnets) {
    const s = { ...s0, blocksSinceLastStep: s0.blocksSinceLastStep + 1 };
    if (shouldRunEpoch(s, block)) {
      if (run.length >= cap) {
        deferred.push(netuid);
        s.pendingEpochAt = block + 1;
      } else {
        run.push(netuid);
        s.blocksSinceLastStep = 0;
        s.lastEpochBlock = block;
        s.pendingEpochAt = 0;
      }
    }
    next.set(netuid, s);
  }
  return { run, deferred, next };
}
