/**
 * Devnet staking as subtensor 14bc6f9f dispatches it (docs/chain.md "Devnet alpha pools", "Swap fees and limit
 * prices", "Root network"): add_stake / remove_stake and their `_limit` forms (limit price, allow_partial) on a
 * subnet's alpha pool, τ staked 1:1 on the root network (netuid 0), the global τ stake of subnets without a pool,
 * and the stake weight α + tao_weight·τ that permits and Yuma use (`get_stake_weights_for_network`).
 * Runs inside the caller's transaction (src/chain/devnet/dispatch.ts).
 */
import {
  HotkeyNotRegisteredError, InsufficientBalanceError, InvalidAmountError, NotEnoughStakeError, SameNetuidError,
  SlippageTooHighError, SubnetNotFoundError,
} from '../errors.js';
import { raoToTao, type CallReceipt, type SwapReceipt } from '../types.js';
import { isTopkNonzero } from '../yuma/math.js';
import type { CallParams } from './calls.js';
import { maxAlphaIn, maxTaoIn, RAO_PER_TAO, sellAlpha, swapAlphaForTao, swapFee, swapTaoForAlpha, U64_MAX } from './pool.js';
import { subnetOrThrow } from './reads.js';
import type { PoolRow, Store } from './store.js';

/** The root network's netuid. */
export const ROOT_NETUID = 0;
/** The runtime's `InitialTaoWeight` (of u64::MAX: ≈ 0.0527, the weight of root τ in stake weights). */
export const DEFAULT_TAO_WEIGHT = 971_718_665_099_567_868n;
/** The runtime's `InitialMinStake` (0.002 τ): the least a swap on a pool subnet may move. */
export const MIN_STAKE = 2_000_000n;
const U64_MAX_N = (1n << 64n) - 1n;

/** The chain's `TaoWeight` (raw u64; meta `tao_weight`, default the runtime's). */
export function taoWeightRaw(store: Store): bigint {
  return BigInt(store.getMeta('tao_weight') ?? DEFAULT_TAO_WEIGHT);
}

/** `get_tao_weight` as U96F32 bits: ⌊TaoWeight · 2^32 / u64::MAX⌋. */
export function taoWeightFx(store: Store): bigint {
  return (taoWeightRaw(store) << 32n) / U64_MAX_N;
}

/** τ the hotkey has staked on the root network (all coldkeys). */
export function rootStake(store: Store, hotkey: string): bigint {
  return store.alphaStakes(ROOT_NETUID, hotkey).reduce((a, r) => a + r.amount, 0n);
}

/** `SubnetTAO(ROOT)`: all τ staked on the root network. */
export function totalRootStake(store: Store): bigint {
  return store.alphaStakes(ROOT_NETUID).reduce((a, r) => a + r.amount, 0n);
}

/**
 * The hotkey's stake weight on a subnet (`get_stake_weights_for_network`): its α there (the global τ stake on a
 * subnet without a pool) plus tao_weight × its root τ, the I64F64 sum floored to rao.
 */
export function stakeWeight(store: Store, netuid: number, hotkey: string, twFx = taoWeightFx(store)): { total: bigint; alpha: bigint; tao: bigint } {
  const alpha = store.subnetStake(netuid, hotkey);
  const tao = rootStake(store, hotkey);
  return { total: alpha + ((tao * twFx) >> 32n), alpha, tao };
}

/** Validator permits = top `maxAllowedValidators` uids by stake weight (non-zero). */
export function refreshPermits(store: Store, netuid: number): void {
  const s = store.subnet(netuid)!;
  const neurons = store.neurons(netuid);
  const twFx = taoWeightFx(store);
  const stake = neurons.map((n) => Number(stakeWeight(store, netuid, n.hotkey, twFx).total));
  const permits = isTopkNonzero(stake, s.hyperparams.maxAllowedValidators);
  neurons.forEach((n, i) => {
    if (n.validatorPermit !== permits[i]) store.putNeuron({ ...n, validatorPermit: permits[i]! });
  });
}

/** Refresh permits everywhere the hotkey's weight counts (root stake counts on every subnet). */
function refreshHotkey(store: Store, hotkey: string): void {
  for (const netuid of store.netuidsOfHotkey(hotkey)) refreshPermits(store, netuid);
}

/** The block author that swap fees go to (meta `block_author`); none on older data folders: fees are burned. */
function blockAuthor(store: Store): string | undefined {
  return store.getMeta('block_author');
}

/** validate_add_stake / validate_remove_stake's limit rule: the executed amount, or SlippageTooHigh. */
function limitAmount(amount: bigint, max: bigint, allowPartial: boolean, what: string, unit: 'τ' | 'α'): bigint {
  if (amount <= max) return amount;
  if (!allowPartial) {
    throw new SlippageTooHighError(`${what} of ${raoToTao(amount)} ${unit} would move the price past the limit; at most ${raoToTao(max)} ${unit} fits`, { details: { amount: amount.toString(), max: max.toString() } });
  }
  if (max === 0n) throw new InvalidAmountError(`no part of the ${what} of ${raoToTao(amount)} ${unit} fits under the limit price`);
  return max;
}

const swapReceipt = (block: number, paidIn: bigint, paidOut: bigint, fee: bigint): CallReceipt =>
  ({ block, swap: { paidIn: paidIn.toString(), paidOut: paidOut.toString(), fee: fee.toString() } satisfies SwapReceipt });

export function doAddStake(store: Store, coldkey: string, p: CallParams<'addStake'>, block: number): CallReceipt {
  const amount = BigInt(p.amount);
  if (amount <= 0n) throw new InvalidAmountError('stake amount must be positive');
  if (store.hotkeyOwner(p.hotkey) === undefined) {
    throw new HotkeyNotRegisteredError(`hotkey ${p.hotkey} is not registered on any subnet; register it before staking`);
  }
  const limit = p.limitPrice === undefined ? undefined : BigInt(p.limitPrice);
  const partial = p.allowPartial === true;
  const pool = p.netuid === undefined || p.netuid === ROOT_NETUID ? undefined : (subnetOrThrow(store, p.netuid), store.pool(p.netuid));
  if (pool && p.netuid !== undefined) return addThroughPool(store, coldkey, p.hotkey, p.netuid, pool, amount, limit, partial, block);
  // root and subnets without a pool are stable (1 τ = 1 α): a limit below 1 τ/α admits nothing (get_max_amount_add)
  const exec = limit === undefined ? amount : limitAmount(amount, limit >= RAO_PER_TAO ? U64_MAX : 0n, partial, 'stake', 'τ');
  debit(store, coldkey, exec);
  if (p.netuid === ROOT_NETUID) store.setAlpha(ROOT_NETUID, p.hotkey, coldkey, store.alphaOf(ROOT_NETUID, p.hotkey, coldkey) + exec);
  else store.setStake(p.hotkey, coldkey, store.stakeOf(p.hotkey, coldkey) + exec);
  refreshHotkey(store, p.hotkey);
  return swapReceipt(block, exec, exec, 0n);
}

function debit(store: Store, coldkey: string, amount: bigint): void {
  const balance = store.balance(coldkey);
  if (balance < amount) throw new InsufficientBalanceError(`coldkey ${coldkey} has ${raoToTao(balance)} τ, cannot stake ${raoToTao(amount)} τ`);
  store.setBalance(coldkey, balance - amount);
}

/** stake_into_subnet: τ in (fee to the block author unless dropped), α out of the pool to (hotkey, coldkey). */
function buyThroughPool(store: Store, coldkey: string, hotkey: string, netuid: number, pool: PoolRow, exec: bigint, dropFee: boolean): { alphaOut: bigint; fee: bigint } {
  const fee = dropFee ? 0n : swapFee(exec, pool.feeRate);
  debit(store, coldkey, exec);
  const s = swapTaoForAlpha(pool, exec - fee);
  store.setPool(netuid, { ...s.pool, alphaOut: pool.alphaOut + s.alphaOut });
  const author = blockAuthor(store);
  if (author !== undefined) store.setBalance(author, store.balance(author) + fee);
  store.setAlpha(netuid, hotkey, coldkey, store.alphaOf(netuid, hotkey, coldkey) + s.alphaOut);
  refreshPermits(store, netuid);
  return { alphaOut: s.alphaOut, fee };
}

function addThroughPool(store: Store, coldkey: string, hotkey: string, netuid: number, pool: PoolRow, amount: bigint, limit: bigint | undefined, partial: boolean, block: number): CallReceipt {
  const minAmount = MIN_STAKE + swapFee(MIN_STAKE, pool.feeRate);
  if (amount < minAmount) throw new InvalidAmountError(`a stake on subnet ${netuid} must be at least ${raoToTao(minAmount)} τ (min stake plus fee)`);
  const exec = limit === undefined ? amount : limitAmount(amount, maxTaoIn(pool, limit, pool.feeRate), partial, 'stake', 'τ');
  if (exec < minAmount) throw new InvalidAmountError(`only ${raoToTao(exec)} τ fits under the limit price, below the ${raoToTao(minAmount)} τ minimum stake`);
  const r = buyThroughPool(store, coldkey, hotkey, netuid, pool, exec, false);
  return swapReceipt(block, exec, r.alphaOut, r.fee);
}

export function doRemoveStake(store: Store, coldkey: string, p: CallParams<'removeStake'>, block: number): CallReceipt {
  const amount = BigInt(p.amount);
  if (amount <= 0n) throw new InvalidAmountError('unstake amount must be positive');
  const limit = p.limitPrice === undefined ? undefined : BigInt(p.limitPrice);
  const partial = p.allowPartial === true;
  const pool = p.netuid === undefined || p.netuid === ROOT_NETUID ? undefined : (subnetOrThrow(store, p.netuid), store.pool(p.netuid));
  if (pool && p.netuid !== undefined) return removeThroughPool(store, coldkey, p.hotkey, p.netuid, pool, amount, limit, partial, block);
  const root = p.netuid === ROOT_NETUID;
  const staked = root ? store.alphaOf(ROOT_NETUID, p.hotkey, coldkey) : store.stakeOf(p.hotkey, coldkey);
  if (staked < amount) throw new NotEnoughStakeError(`coldkey ${coldkey} has ${raoToTao(staked)} τ staked on ${p.hotkey}${root ? ' on the root network' : ''}, cannot remove ${raoToTao(amount)} τ`);
  // stable: a limit above 1 τ/α admits nothing (get_max_amount_remove)
  const exec = limit === undefined ? amount : limitAmount(amount, limit <= RAO_PER_TAO ? U64_MAX : 0n, partial, 'unstake', 'τ');
  if (root) store.setAlpha(ROOT_NETUID, p.hotkey, coldkey, staked - exec);
  else store.setStake(p.hotkey, coldkey, staked - exec);
  store.setBalance(coldkey, store.balance(coldkey) + exec);
  refreshHotkey(store, p.hotkey);
  return swapReceipt(block, exec, exec, 0n);
}

/** unstake_from_subnet: α in (its fee, unless dropped, sold fee-less for the block author's τ), τ out of the pool to the coldkey. */
function sellThroughPool(store: Store, coldkey: string, hotkey: string, netuid: number, pool: PoolRow, exec: bigint, dropFee: boolean): { taoOut: bigint; fee: bigint } {
  const fee = dropFee ? 0n : swapFee(exec, pool.feeRate);
  const s = swapAlphaForTao(pool, exec - fee);
  let after = s.pool;
  const author = blockAuthor(store);
  if (author !== undefined && fee > 0n) {
    const f = sellAlpha(after, fee);
    after = f.pool;
    store.setBalance(author, store.balance(author) + f.taoOut);
  }
  store.setPool(netuid, { ...after, alphaOut: pool.alphaOut - exec });
  store.setAlpha(netuid, hotkey, coldkey, store.alphaOf(netuid, hotkey, coldkey) - exec);
  store.setBalance(coldkey, store.balance(coldkey) + s.taoOut);
  refreshPermits(store, netuid);
  return { taoOut: s.taoOut, fee };
}

function removeThroughPool(store: Store, coldkey: string, hotkey: string, netuid: number, pool: PoolRow, amount: bigint, limit: bigint | undefined, partial: boolean, block: number): CallReceipt {
  const staked = store.alphaOf(netuid, hotkey, coldkey);
  if (staked < amount) throw new NotEnoughStakeError(`coldkey ${coldkey} has ${raoToTao(staked)} α of subnet ${netuid} staked on ${hotkey}, cannot remove ${raoToTao(amount)} α`);
  const exec = limit === undefined ? amount : limitAmount(amount, maxAlphaIn(pool, limit, pool.feeRate), partial, 'unstake', 'α');
  const preview = swapAlphaForTao(pool, exec - swapFee(exec, pool.feeRate)).taoOut;
  if (exec < staked && preview < MIN_STAKE) {
    throw new InvalidAmountError(`unstaking ${raoToTao(exec)} α returns ${raoToTao(preview)} τ, below the ${raoToTao(MIN_STAKE)} τ minimum (unstake all of it, or more)`);
  }
  const r = sellThroughPool(store, coldkey, hotkey, netuid, pool, exec, false);
  return swapReceipt(block, exec, r.taoOut, r.fee);
}

/**
 * `get_max_amount_move`: the most α of the origin a swap_stake may move before the origin/destination price
 * ratio falls to `limit` (rao of origin τ-price per destination τ-price, as the extrinsic takes it). Root → pool
 * is an add at the destination price 1/limit, pool → root a remove at `limit`; pool → pool the pallet's closed
 * form (α₂·t₁/(t₁+t₂))/limit − α₁·t₂/(t₁+t₂).
 */
export function maxAmountMove(origin: PoolRow | undefined, dest: PoolRow | undefined, limit: bigint): bigint {
  if (!origin && !dest) return limit > RAO_PER_TAO ? 0n : U64_MAX;
  if (!origin) return limit === 0n ? U64_MAX : maxTaoIn(dest!, (RAO_PER_TAO * RAO_PER_TAO) / limit, dest!.feeRate);
  if (!dest) return maxAlphaIn(origin, limit, origin.feeRate);
  if (origin.tao === 0n || dest.tao === 0n || origin.alpha === 0n || dest.alpha === 0n) return 0n;
  // limit > price₁/price₂ = (t₁/α₁)/(t₂/α₂) admits nothing
  if (limit * origin.alpha * dest.tao > RAO_PER_TAO * origin.tao * dest.alpha) return 0n;
  if (limit === 0n) return U64_MAX;
  const sum = origin.tao + dest.tao;
  const r = (dest.alpha * origin.tao * RAO_PER_TAO / limit - origin.alpha * dest.tao) / sum;
  return r > 0n ? r : 0n;
}

/**
 * swap_stake / swap_stake_limit (`transition_stake_internal`): move α of (hotkey, coldkey) from one subnet to
 * another — sold on the origin (its fee charged unless the origin is root) for τ that buys α on the destination
 * (its fee charged only when the origin is root); τ below the min stake stays in the coldkey's balance.
 * Root and pool subnets only (a subnet without a pool has no α of its own).
 */
export function doSwapStake(store: Store, coldkey: string, p: CallParams<'swapStake'>, block: number): CallReceipt {
  const [from, to] = [p.originNetuid, p.destinationNetuid];
  if (from === to) throw new SameNetuidError(`origin and destination are both subnet ${from}`);
  const poolOf = (netuid: number): PoolRow | undefined => {
    if (netuid === ROOT_NETUID) return undefined;
    subnetOrThrow(store, netuid);
    const pool = store.pool(netuid);
    if (!pool) throw new SubnetNotFoundError(`subnet ${netuid} has no alpha pool, so it has no α to swap`, { details: { netuid }, hint: 'swap stake between subnets with a pool and the root network (netuid 0)' });
    return pool;
  };
  const [origin, dest] = [poolOf(from), poolOf(to)];
  if (store.hotkeyOwner(p.hotkey) === undefined) throw new HotkeyNotRegisteredError(`hotkey ${p.hotkey} is not registered on any subnet`);
  const available = store.alphaOf(from, p.hotkey, coldkey);
  const amount = BigInt(p.amount) < available ? BigInt(p.amount) : available;
  if (amount <= 0n) throw new NotEnoughStakeError(`coldkey ${coldkey} has no stake on ${p.hotkey} on subnet ${from}`);
  const max = p.limitPrice === undefined ? amount : maxAmountMove(origin, dest, BigInt(p.limitPrice));
  const move = limitAmount(amount, max, p.allowPartial === true, 'swap', 'α');
  const rootOrigin = from === ROOT_NETUID;
  let tao: bigint;
  let fee = 0n;
  if (origin) ({ taoOut: tao, fee } = sellThroughPool(store, coldkey, p.hotkey, from, origin, move, false));
  else {
    store.setAlpha(ROOT_NETUID, p.hotkey, coldkey, available - move);
    store.setBalance(coldkey, store.balance(coldkey) + move);
    tao = move;
  }
  let out = 0n;
  if (tao >= MIN_STAKE) {
    if (dest) {
      const b = buyThroughPool(store, coldkey, p.hotkey, to, dest, tao, !rootOrigin);
      out = b.alphaOut;
      if (rootOrigin) fee = b.fee;
    } else {
      debit(store, coldkey, tao);
      store.setAlpha(ROOT_NETUID, p.hotkey, coldkey, store.alphaOf(ROOT_NETUID, p.hotkey, coldkey) + tao);
      out = tao;
    }
  }
  refreshHotkey(store, p.hotkey);
  return swapReceipt(block, move, out, fee);
}
