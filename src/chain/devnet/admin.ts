/**
 * The subnet owner's epoch-schedule calls, as subtensor's pallet has them since its 2026 schedule
 * (opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0, coinbase/tempo_control.rs `do_set_tempo`,
 * `do_set_activity_cutoff_factor`, `do_trigger_epoch`; utils/misc.rs `is_in_admin_freeze_window`;
 * utils/rate_limiting.rs): origin, bounds, admin freeze window, rate limits, and their effect on the schedule
 * (docs/chain.md "Epoch schedule"). Dispatched from ./dispatch.ts inside the call's transaction.
 */
import {
  AdminRateLimitError, AdminWindowClosedError, AutoEpochAlreadyImminentError, DynamicTempoBlockedByCommitRevealError,
  EpochTriggerAlreadyPendingError, NotRootError, NotSubnetOwnerError, TempoOutOfBoundsError,
} from '../errors.js';
import type { CallReceipt, TriggerEpochReceipt } from '../types.js';
import {
  blocksUntilNextAutoEpoch, DEFAULT_ADMIN_FREEZE_WINDOW, isInAdminFreezeWindow, MAX_TEMPO, MIN_TEMPO,
  OWNER_HYPERPARAM_RATE_LIMIT_EPOCHS, passesRateLimit,
} from '../yuma/schedule.js';
import type { CallParams } from './calls.js';
import { scheduleStateOf } from './clock.js';
import { checkActivityCutoffFactor, withActivityCutoff } from './hyperparams.js';
import { subnetOrThrow } from './reads.js';
import type { Store, SubnetRow } from './store.js';

/** `AdminFreezeWindow` of a `--fast` devnet (tempo 10: the default 10 would freeze every block but the epoch's). */
export const FAST_ADMIN_FREEZE_WINDOW = 2;

/** The devnet's global `AdminFreezeWindow` (fixed at genesis: 10, `--fast` 2). */
export function adminFreezeWindow(store: Store): number {
  const v = store.getMeta('admin_freeze_window');
  if (v !== undefined) return Number(v);
  return store.getMeta('fast') === '1' ? FAST_ADMIN_FREEZE_WINDOW : DEFAULT_ADMIN_FREEZE_WINDOW;
}

/**
 * The devnet's root origin: calls signed by its sudo key, //Alice's address, as subtensor's localnet chain spec makes
 * Alice sudo (the devnet has no Sudo pallet; a call signed by that key acts as `Sudo.sudo(call)` would).
 */
export const SUDO_ADDRESS = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

/** `ensure_subnet_owner_or_root`: the owner (Some) or root (None), else BadOrigin. */
function ownerOrRoot(store: Store, signer: string, netuid: number): { s: SubnetRow; root: boolean } {
  const s = subnetOrThrow(store, netuid);
  if (signer === SUDO_ADDRESS) return { s, root: true };
  if (s.owner !== signer) throw new NotSubnetOwnerError(`${signer} neither owns subnet ${netuid} (its owner is ${s.owner}) nor is the sudo key`);
  return { s, root: false };
}

/** `ensure_subnet_owner`: a signed origin that is the subnet's owner coldkey, else BadOrigin. */
function ownedSubnet(store: Store, signer: string, netuid: number): SubnetRow {
  const s = subnetOrThrow(store, netuid);
  if (s.owner !== signer) throw new NotSubnetOwnerError(`${signer} does not own subnet ${netuid} (its owner is ${s.owner})`);
  return s;
}

/** `ensure_admin_window_open`, judged at the call's block after its step (as the pallet's extrinsics run after on_initialize). */
function ensureAdminWindowOpen(store: Store, s: SubnetRow, block: number): void {
  const state = scheduleStateOf(s, block + 1);
  const window = adminFreezeWindow(store);
  if (isInAdminFreezeWindow(state, block, window)) {
    const why = state.pendingEpochAt > block ? `a triggered epoch is pending at block ${state.pendingEpochAt}`
      : `the next epoch is ${blocksUntilNextAutoEpoch(state, block)} blocks away (freeze window ${window})`;
    throw new AdminWindowClosedError(`admin calls on subnet ${s.netuid} are frozen: ${why}`);
  }
}

/** Rate-limit keys as the pallet keys them: TempoUpdate per (owner, subnet), owner hyperparameters per (subnet, parameter). */
type RateKey = { kind: 'tempo'; who: string } | { kind: 'activityCutoffFactor' | 'triggerEpoch' };
const rateMetaKey = (netuid: number, k: RateKey) => `admin_rl:${netuid}:${k.kind}${k.kind === 'tempo' ? `:${k.who}` : ''}`;

/** `passes_rate_limit_on_subnet`: TempoUpdate waits MIN_TEMPO blocks; owner hyperparameters wait tempo × OwnerHyperparamRateLimit. */
function ensureRateLimit(store: Store, s: SubnetRow, k: RateKey, block: number): void {
  const limit = k.kind === 'tempo' ? MIN_TEMPO : s.hyperparams.tempo * OWNER_HYPERPARAM_RATE_LIMIT_EPOCHS;
  const last = Number(store.getMeta(rateMetaKey(s.netuid, k)) ?? '0');
  if (!passesRateLimit(limit, block, last)) {
    throw new AdminRateLimitError(`${k.kind} on subnet ${s.netuid} was last changed at block ${last}; next allowed at block ${last + limit}`);
  }
}

/** `do_set_tempo`: owner only, MIN_TEMPO..MAX_TEMPO, window open, rate limit; resets the cycle (LastEpochBlock = now). */
export function doSetTempo(store: Store, signer: string, p: CallParams<'setTempo'>, block: number): CallReceipt {
  const s = ownedSubnet(store, signer, p.netuid);
  if (p.tempo < MIN_TEMPO || p.tempo > MAX_TEMPO) throw new TempoOutOfBoundsError(`tempo ${p.tempo} is outside ${MIN_TEMPO}..${MAX_TEMPO}`);
  ensureAdminWindowOpen(store, s, block);
  const key: RateKey = { kind: 'tempo', who: signer };
  ensureRateLimit(store, s, key, block);
  // apply_tempo_with_cycle_reset; the cutoff in blocks follows the new tempo (get_activity_cutoff_blocks)
  store.updateSubnet({ ...s, hyperparams: withActivityCutoff({ ...s.hyperparams, tempo: p.tempo }), lastEpoch: block });
  store.setMeta(rateMetaKey(s.netuid, key), String(block));
  return { block };
}

/** `do_set_activity_cutoff_factor`: owner or root; 1000..50000 ‰; the owner (not root) needs the window open and the rate limit. */
export function doSetActivityCutoffFactor(store: Store, signer: string, p: CallParams<'setActivityCutoffFactor'>, block: number): CallReceipt {
  const { s, root } = ownerOrRoot(store, signer, p.netuid);
  checkActivityCutoffFactor(p.factorMilli);
  const key: RateKey = { kind: 'activityCutoffFactor' };
  if (!root) {
    ensureAdminWindowOpen(store, s, block);
    ensureRateLimit(store, s, key, block);
  }
  store.updateSubnet({ ...s, hyperparams: withActivityCutoff({ ...s.hyperparams, activityCutoffFactor: p.factorMilli }) });
  if (!root) store.setMeta(rateMetaKey(s.netuid, key), String(block));
  return { block };
}

/**
 * AdminUtils `sudo_set_tempo`: root only, any u16 tempo (no MIN/MAX_TEMPO), window open; the same cycle reset. Tempo 0
 * (a dormant subnet on chain) is refused: the devnet keeps tempo ≥ 1.
 */
export function doSudoSetTempo(store: Store, signer: string, p: CallParams<'sudoSetTempo'>, block: number): CallReceipt {
  if (signer !== SUDO_ADDRESS) throw new NotRootError(`sudo_set_tempo needs the root origin; ${signer} is not the devnet's sudo key`);
  if (p.tempo === 0) throw new TempoOutOfBoundsError('tempo 0 (no epochs) is not supported on the devnet', { hint: 'pick a tempo of at least 1 block' });
  const s = subnetOrThrow(store, p.netuid);
  ensureAdminWindowOpen(store, s, block);
  store.updateSubnet({ ...s, hyperparams: withActivityCutoff({ ...s.hyperparams, tempo: p.tempo }), lastEpoch: block });
  return { block };
}

/**
 * `do_trigger_epoch`: owner only; refused on commit-reveal subnets, while a trigger is pending, and when the automatic
 * epoch is nearer than the freeze window; rate limit; the epoch fires at now + AdminFreezeWindow (PendingEpochAt),
 * and the admin window stays frozen until then.
 */
export function doTriggerEpoch(store: Store, signer: string, p: CallParams<'triggerEpoch'>, block: number): TriggerEpochReceipt {
  const s = ownedSubnet(store, signer, p.netuid);
  if (s.hyperparams.commitRevealWeightsEnabled) {
    throw new DynamicTempoBlockedByCommitRevealError(`subnet ${p.netuid} has commit-reveal weights on`);
  }
  const state = scheduleStateOf(s, block + 1);
  if (state.pendingEpochAt !== 0) throw new EpochTriggerAlreadyPendingError(`an epoch is already triggered for block ${state.pendingEpochAt}`);
  const window = adminFreezeWindow(store);
  const remaining = blocksUntilNextAutoEpoch(state, block);
  if (remaining < window) {
    throw new AutoEpochAlreadyImminentError(`the next epoch is ${remaining} blocks away, sooner than a trigger (${window} blocks)`);
  }
  const key: RateKey = { kind: 'triggerEpoch' };
  ensureRateLimit(store, s, key, block);
  const firesAt = block + window;
  store.updateSubnet({ ...s, pendingEpochAt: firesAt });
  store.setMeta(rateMetaKey(s.netuid, key), String(block));
  return { block, firesAt };
}
