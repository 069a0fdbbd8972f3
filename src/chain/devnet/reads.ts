/**
 * Devnet reads: subnet / neuron lookups that throw subtensor's errors, and the metagraph snapshot
 * (docs/chain.md "Devnet").
 */
import { HotkeyNotRegisteredError, SubnetNotFoundError } from '../errors.js';
import type { Metagraph, SubnetPool } from '../types.js';
import { readPool } from './coinbase.js';
import { u16ToProportion } from '../yuma/math.js';
import type { NeuronRow, Store, SubnetRow } from './store.js';
import { stakeWeight, taoWeightFx } from './stake.js';

/** The subnet, or SubnetNotFoundError. */
export function subnetOrThrow(store: Store, netuid: number): SubnetRow {
  const s = store.subnet(netuid);
  if (!s) throw new SubnetNotFoundError(`subnet ${netuid} does not exist`, { details: { netuid } });
  return s;
}

/** The hotkey's neuron on the subnet, or HotkeyNotRegisteredError. */
export function neuronOrThrow(store: Store, netuid: number, hotkey: string): NeuronRow {
  const n = store.neuronByHotkey(netuid, hotkey);
  if (!n) throw new HotkeyNotRegisteredError(`hotkey ${hotkey} is not registered on subnet ${netuid}`, { details: { netuid, hotkey } });
  return n;
}

/** The subnet's pool (netuid 0: the root network), or SubnetNotFoundError naming why. */
export function poolOrThrow(store: Store, netuid: number): SubnetPool {
  if (netuid !== 0) subnetOrThrow(store, netuid);
  const p = readPool(store, netuid);
  if (!p) throw new SubnetNotFoundError(`subnet ${netuid} has no alpha pool (its stake is τ, 1:1)`, { details: { netuid }, hint: 'Create a subnet with a pool (dev_createSubnet with `pool`) to stake through one.' });
  return p;
}

/** The head block number. */
export function headBlock(store: Store): number {
  return Number(store.getMeta('block'));
}

/** Metagraph snapshot at the head block, read in one transaction. */
export function readMetagraph(store: Store, netuid: number): Metagraph {
  return store.db.transaction(() => {
    subnetOrThrow(store, netuid);
    const ns = store.neurons(netuid);
    // dynamic TAO: α on a subnet with an alpha pool (else the global stake taken as α), τ on the root network,
    // and the stake weight α + tao_weight·τ (get_stake_weights_for_network)
    const twFx = taoWeightFx(store);
    const w = ns.map((n) => stakeWeight(store, netuid, n.hotkey, twFx));
    return {
      netuid,
      block: headBlock(store),
      n: ns.length,
      uids: ns.map((n) => n.uid),
      hotkeys: ns.map((n) => n.hotkey),
      coldkeys: ns.map((n) => n.coldkey),
      stake: w.map((x) => x.total),
      alphaStake: w.map((x) => x.alpha),
      taoStake: w.map((x) => x.tao),
      validatorPermit: ns.map((n) => n.validatorPermit),
      validatorTrust: ns.map((n) => u16ToProportion(n.validatorTrust)),
      trust: ns.map((n) => u16ToProportion(n.trust)),
      consensus: ns.map((n) => u16ToProportion(n.consensus)),
      incentive: ns.map((n) => u16ToProportion(n.incentive)),
      dividends: ns.map((n) => u16ToProportion(n.dividends)),
      emission: ns.map((n) => n.emission),
      active: ns.map((n) => n.active),
      lastUpdate: ns.map((n) => n.lastUpdate),
      blockAtRegistration: ns.map((n) => n.registeredAt),
      axons: ns.map((n) => {
        const a = store.axon(netuid, n.hotkey);
        return a ? { ...a, coldkey: n.coldkey } : { hotkey: n.hotkey, coldkey: n.coldkey, ip: '0.0.0.0', ipType: 0 as const, port: 0, version: 0, protocol: 0, block: 0 };
      }),
    };
  })();
}
