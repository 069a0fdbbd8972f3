/**
 * Builders of the subtensor calls zkinfer sends. They take a polkadot-js `tx` section map — `api.tx`
 * on a live node, or `expandMetadata(registry, metadata).tx` offline (tests) — so the exact same
 * code builds what is signed and what the tests check against the real runtime metadata.
 */
import { u8aToHex } from '@polkadot/util';
import { UnsupportedOnChainError } from '../errors.js';
import type { ServeAxonParams, SetWeightsParams, TimelockedCommitParams } from '../types.js';
import { BITTENSOR_AXON_PROTOCOL } from './config.js';
import { commitmentFields, ipToU128 } from './codec.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CallFn<T> = (...args: any[]) => T;
/** `api.tx` or a decorated metadata's `tx`. */
export type TxSections<T> = Record<string, Record<string, CallFn<T>>>;

function fn<T>(tx: TxSections<T>, section: string, method: string): CallFn<T> {
  const f = tx[section]?.[method];
  if (!f) throw new UnsupportedOnChainError(`this runtime has no ${section}.${method}`, { hint: 'the node runs an older subtensor; see docs/chain.md' });
  return f;
}

/** SubtensorModule.set_weights(netuid, dests, weights, version_key). */
export function setWeightsCall<T>(tx: TxSections<T>, p: SetWeightsParams): T {
  return fn(tx, 'subtensorModule', 'setWeights')(p.netuid, p.uids, p.weights, p.versionKey);
}

/**
 * SubtensorModule.commit_timelocked_mechanism_weights(netuid, mecid = 0, commit, reveal_round, commit_reveal_version),
 * the call the Bittensor SDK sends for commit-reveal v3 (mechanism 0 = the subnet's main weights).
 */
export function commitTimelockedWeightsCall<T>(tx: TxSections<T>, p: TimelockedCommitParams): T {
  return fn(tx, 'subtensorModule', 'commitTimelockedMechanismWeights')(p.netuid, 0, u8aToHex(p.commit), p.revealRound, p.commitRevealVersion);
}

/** SubtensorModule.serve_axon(netuid, version, ip: u128, port, ip_type, protocol, placeholder1, placeholder2). */
export function serveAxonCall<T>(tx: TxSections<T>, p: ServeAxonParams): T {
  const { ip, ipType } = ipToU128(p.ip);
  return fn(tx, 'subtensorModule', 'serveAxon')(p.netuid, p.version, ip, p.port, ipType, p.protocol ?? BITTENSOR_AXON_PROTOCOL, 0, 0);
}

/** SubtensorModule.burned_register(netuid, hotkey) — signed by the coldkey. */
export function burnedRegisterCall<T>(tx: TxSections<T>, netuid: number, hotkey: string): T {
  return fn(tx, 'subtensorModule', 'burnedRegister')(netuid, hotkey);
}

/** SubtensorModule.add_stake(hotkey, netuid, amount_staked) — dynamic-TAO runtimes stake per subnet. */
export function addStakeCall<T>(tx: TxSections<T>, hotkey: string, netuid: number, amount: bigint): T {
  return fn(tx, 'subtensorModule', 'addStake')(hotkey, netuid, amount);
}

/** SubtensorModule.remove_stake(hotkey, netuid, amount_unstaked). */
export function removeStakeCall<T>(tx: TxSections<T>, hotkey: string, netuid: number, amount: bigint): T {
  return fn(tx, 'subtensorModule', 'removeStake')(hotkey, netuid, amount);
}

/** SubtensorModule.set_tempo(netuid, tempo) — subnet owner (call index 139 at subtensor 14bc6f9f). */
export function setTempoCall<T>(tx: TxSections<T>, netuid: number, tempo: number): T {
  return fn(tx, 'subtensorModule', 'setTempo')(netuid, tempo);
}

/** SubtensorModule.set_activity_cutoff_factor(netuid, factor_milli: u32) — subnet owner or root (call index 140). */
export function setActivityCutoffFactorCall<T>(tx: TxSections<T>, netuid: number, factorMilli: number): T {
  return fn(tx, 'subtensorModule', 'setActivityCutoffFactor')(netuid, factorMilli);
}

/** SubtensorModule.trigger_epoch(netuid) — subnet owner (call index 141). */
export function triggerEpochCall<T>(tx: TxSections<T>, netuid: number): T {
  return fn(tx, 'subtensorModule', 'triggerEpoch')(netuid);
}

/** SubtensorModule.add_stake_limit(hotkey, netuid, amount_staked, limit_price, allow_partial) — call 7/88. */
export function addStakeLimitCall<T>(tx: TxSections<T>, hotkey: string, netuid: number, amount: bigint, limitPrice: bigint, allowPartial: boolean): T {
  return fn(tx, 'subtensorModule', 'addStakeLimit')(hotkey, netuid, amount, limitPrice, allowPartial);
}

/** SubtensorModule.remove_stake_limit(hotkey, netuid, amount_unstaked, limit_price, allow_partial) — call 7/89. */
export function removeStakeLimitCall<T>(tx: TxSections<T>, hotkey: string, netuid: number, amount: bigint, limitPrice: bigint, allowPartial: boolean): T {
  return fn(tx, 'subtensorModule', 'removeStakeLimit')(hotkey, netuid, amount, limitPrice, allowPartial);
}

/** SubtensorModule.swap_stake(hotkey, origin_netuid, destination_netuid, alpha_amount) — call 7/87. */
export function swapStakeCall<T>(tx: TxSections<T>, hotkey: string, originNetuid: number, destinationNetuid: number, amount: bigint): T {
  return fn(tx, 'subtensorModule', 'swapStake')(hotkey, originNetuid, destinationNetuid, amount);
}

/** SubtensorModule.swap_stake_limit(hotkey, origin_netuid, destination_netuid, alpha_amount, limit_price, allow_partial) — 7/90. */
export function swapStakeLimitCall<T>(tx: TxSections<T>, hotkey: string, originNetuid: number, destinationNetuid: number, amount: bigint, limitPrice: bigint, allowPartial: boolean): T {
  return fn(tx, 'subtensorModule', 'swapStakeLimit')(hotkey, originNetuid, destinationNetuid, amount, limitPrice, allowPartial);
}

/** Commitments.set_commitment(netuid, CommitmentInfo { fields: [RawN(bytes)…] }). */
export function setCommitmentCall<T>(tx: TxSections<T>, netuid: number, data: string): T {
  return fn(tx, 'commitments', 'setCommitment')(netuid, { fields: commitmentFields(data) });
}
