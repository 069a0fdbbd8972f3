/**
 * Devnet call dispatch: each signed call's checks and state change, as subtensor's extrinsics do them
 * (docs/chain.md "Devnet": registration, serve_axon, set_weights checks, commitments; stake in ./stake.ts). Runs inside
 * the caller's transaction after authentication (src/chain/devnet/devnet.ts `submit`).
 */
import { isIP } from 'node:net';
import {
  AlreadyRegisteredError, CommitmentTooLargeError, CommitRevealEnabledError, DuplicateUidsError,
  HotkeyOwnedByOtherColdkeyError, IncorrectWeightVersionKeyError, InsufficientBalanceError,
  InvalidAmountError, InvalidAxonError, InvalidUidError, MaxWeightExceededError, NoValidatorPermitError,
  ServingRateLimitError, TooFewWeightsError, TooManyRegistrationsError, WeightsRateLimitError,
  WeightVecLengthMismatchError,
} from '../errors.js';
import { raoToTao, type CallReceipt, type RegistrationReceipt, type TriggerEpochReceipt } from '../types.js';
import { maxUpscaleToU16, U16_MAX } from '../yuma/math.js';
import { CallSchemas, type CallMethod, type CallParams } from './calls.js';
import { doCommitTimelockedWeights, type TimelockContext } from './reveal.js';
import { doAddStake, doRemoveStake, doSwapStake, refreshPermits } from './stake.js';
import { doSetActivityCutoffFactor, doSetTempo, doSudoSetTempo, doTriggerEpoch } from './admin.js';
import { neuronOrThrow, subnetOrThrow } from './reads.js';
import type { NeuronRow, Store } from './store.js';

/** Largest commitment, bytes (subtensor's default max space per commitment field). */
export const MAX_COMMITMENT_BYTES = 1024;

export function dispatchCall(store: Store, method: CallMethod, signer: string, raw: Record<string, unknown>, block: number, ctx: TimelockContext): CallReceipt | RegistrationReceipt | TriggerEpochReceipt {
  switch (method) {
    case 'commitTimelockedWeights': return doCommitTimelockedWeights(store, signer, CallSchemas.commitTimelockedWeights.parse(raw), block, ctx);
    case 'burnedRegister': return doRegister(store, signer, CallSchemas.burnedRegister.parse(raw), block);
    case 'serveAxon': return doServeAxon(store, signer, CallSchemas.serveAxon.parse(raw), block);
    case 'setWeights': return doSetWeights(store, signer, CallSchemas.setWeights.parse(raw), block);
    case 'commit': return doCommit(store, signer, CallSchemas.commit.parse(raw), block);
    case 'addStake': return doAddStake(store, signer, CallSchemas.addStake.parse(raw), block);
    case 'removeStake': return doRemoveStake(store, signer, CallSchemas.removeStake.parse(raw), block);
    case 'swapStake': return doSwapStake(store, signer, CallSchemas.swapStake.parse(raw), block);
    case 'setTempo': return doSetTempo(store, signer, CallSchemas.setTempo.parse(raw), block);
    case 'setActivityCutoffFactor': return doSetActivityCutoffFactor(store, signer, CallSchemas.setActivityCutoffFactor.parse(raw), block);
    case 'triggerEpoch': return doTriggerEpoch(store, signer, CallSchemas.triggerEpoch.parse(raw), block);
    case 'sudoSetTempo': return doSudoSetTempo(store, signer, CallSchemas.sudoSetTempo.parse(raw), block);
  }
}

export { refreshPermits } from './stake.js';

function doRegister(store: Store, coldkey: string, p: CallParams<'burnedRegister'>, block: number): RegistrationReceipt {
  const s = subnetOrThrow(store, p.netuid);
  const h = s.hyperparams;
  if (s.regsBlock !== block) { s.regsBlock = block; s.regsInBlock = 0; }
  if (h.maxRegistrationsPerBlock > 0 && s.regsInBlock >= h.maxRegistrationsPerBlock) {
    throw new TooManyRegistrationsError(`subnet ${p.netuid} already took ${s.regsInBlock} registrations in block ${block}`);
  }
  if (store.neuronByHotkey(p.netuid, p.hotkey)) {
    throw new AlreadyRegisteredError(`hotkey ${p.hotkey} is already registered on subnet ${p.netuid}`);
  }
  const owner = store.hotkeyOwner(p.hotkey);
  if (owner !== undefined && owner !== coldkey) {
    throw new HotkeyOwnedByOtherColdkeyError(`hotkey ${p.hotkey} belongs to coldkey ${owner}, not ${coldkey}`);
  }
  const balance = store.balance(coldkey);
  if (balance < h.burn) {
    throw new InsufficientBalanceError(`registration burns ${raoToTao(h.burn)} τ but coldkey ${coldkey} has ${raoToTao(balance)} τ`, { details: { burn: h.burn.toString(), balance: balance.toString() } });
  }
  store.setBalance(coldkey, balance - h.burn);
  store.setHotkeyOwner(p.hotkey, coldkey);

  const neurons = store.neurons(p.netuid);
  let uid = neurons.length;
  let replacedHotkey: string | undefined;
  if (neurons.length >= h.maxAllowedUids) {
    const victim = neuronToPrune(neurons, block, h.immunityPeriod);
    uid = victim.uid;
    replacedHotkey = victim.hotkey;
    store.deleteAxon(p.netuid, victim.hotkey);
  }
  store.putNeuron({
    netuid: p.netuid, uid, hotkey: p.hotkey, coldkey, registeredAt: block, lastUpdate: block,
    validatorPermit: false, active: true, consensus: 0, incentive: 0, dividends: 0, trust: 0, validatorTrust: 0,
    emission: 0n, weights: [], bonds: [],
  });
  s.regsInBlock += 1;
  store.updateSubnet(s);
  refreshPermits(store, p.netuid);
  return replacedHotkey === undefined ? { block, uid } : { block, uid, replacedHotkey };
}

function doServeAxon(store: Store, hotkey: string, p: CallParams<'serveAxon'>, block: number): CallReceipt {
  const s = subnetOrThrow(store, p.netuid);
  neuronOrThrow(store, p.netuid, hotkey);
  const ipType = isIP(p.ip);
  if (ipType === 0 || p.ip === '0.0.0.0' || p.ip === '::') {
    throw new InvalidAxonError(`"${p.ip}" is not a usable IPv4/IPv6 address`);
  }
  if (p.port < 1 || p.port > 65535) throw new InvalidAxonError(`port ${p.port} is outside 1..65535`);
  if (p.version < 1 || p.version >= 2 ** 32) throw new InvalidAxonError(`version ${p.version} must be a u32 > 0 (major·10^6 + minor·10^3 + patch)`);
  const prev = store.axon(p.netuid, hotkey);
  if (prev && prev.block > 0 && block - prev.block < s.hyperparams.servingRateLimit) {
    throw new ServingRateLimitError(`hotkey served its axon at block ${prev.block}; next allowed at block ${prev.block + s.hyperparams.servingRateLimit}`);
  }
  store.putAxon(p.netuid, { hotkey, ip: p.ip, ipType: ipType as 4 | 6, port: p.port, version: p.version, protocol: p.protocol, block });
  return { block };
}

function doSetWeights(store: Store, hotkey: string, p: CallParams<'setWeights'>, block: number): CallReceipt {
  if (subnetOrThrow(store, p.netuid).hyperparams.commitRevealWeightsEnabled) {
    throw new CommitRevealEnabledError(`subnet ${p.netuid} requires commit-reveal weights`);
  }
  return storeWeights(store, hotkey, p, block);
}

/**
 * subtensor's `internal_set_weights` checks, each failure its own error class, then the weights are
 * stored. With commit-reveal on (a reveal), the rate limit is not checked and last_update is kept (the
 * commit set it).
 */
export function storeWeights(store: Store, hotkey: string, p: CallParams<'setWeights'>, block: number): CallReceipt {
  const s = subnetOrThrow(store, p.netuid);
  const h = s.hyperparams;
  const reveal = h.commitRevealWeightsEnabled;
  if (p.uids.length !== p.weights.length) {
    throw new WeightVecLengthMismatchError(`${p.uids.length} uids but ${p.weights.length} weights`);
  }
  if (p.weights.some((w) => w < 0 || w > U16_MAX)) throw new InvalidAmountError('weights must be u16 integers (0..65535)');
  const me = neuronOrThrow(store, p.netuid, hotkey);
  if (h.weightsVersion !== 0 && p.versionKey < h.weightsVersion) {
    throw new IncorrectWeightVersionKeyError(`version key ${p.versionKey} is below the subnet's ${h.weightsVersion}`);
  }
  if (!reveal && me.lastUpdate !== 0 && block - me.lastUpdate < h.weightsRateLimit) {
    throw new WeightsRateLimitError(`uid ${me.uid} last updated at block ${me.lastUpdate}; next set_weights allowed at block ${me.lastUpdate + h.weightsRateLimit}`);
  }
  const n = store.neurons(p.netuid).length;
  const bad = p.uids.find((u) => u < 0 || u >= n);
  if (bad !== undefined) throw new InvalidUidError(`uid ${bad} does not exist on subnet ${p.netuid} (n = ${n})`);
  const selfOnly = p.uids.length === 1 && p.uids[0] === me.uid;
  const minLen = Math.min(h.minAllowedWeights, n);
  if (!selfOnly && p.uids.length < minLen) {
    throw new TooFewWeightsError(`${p.uids.length} weights set; the subnet requires at least ${minLen}`);
  }
  if (!selfOnly && h.maxWeightsLimit < U16_MAX) {
    const total = p.weights.reduce((a, w) => a + w, 0);
    const max = Math.max(...p.weights);
    if (total > 0 && max / total > h.maxWeightsLimit / U16_MAX) {
      throw new MaxWeightExceededError(`largest weight share ${(max / total).toFixed(4)} exceeds ${(h.maxWeightsLimit / U16_MAX).toFixed(4)}`);
    }
  }
  if (new Set(p.uids).size !== p.uids.length) throw new DuplicateUidsError('the uid list contains duplicates');
  if (!selfOnly && !me.validatorPermit) {
    throw new NoValidatorPermitError(`uid ${me.uid} has no validator permit (top ${h.maxAllowedValidators} by stake)`);
  }
  const up = maxUpscaleToU16(p.weights);
  const row = p.uids.map((u, i) => [u, up[i]!] as [number, number]).sort((a, b) => a[0] - b[0]);
  store.putNeuron({ ...me, weights: row, lastUpdate: reveal ? me.lastUpdate : block });
  return { block };
}

function doCommit(store: Store, hotkey: string, p: CallParams<'commit'>, block: number): CallReceipt {
  subnetOrThrow(store, p.netuid);
  neuronOrThrow(store, p.netuid, hotkey);
  const size = Buffer.byteLength(p.data, 'utf8');
  if (size > MAX_COMMITMENT_BYTES) throw new CommitmentTooLargeError(`commitment is ${size} bytes; the limit is ${MAX_COMMITMENT_BYTES}`);
  store.putCommitment(p.netuid, { hotkey, block, data: p.data });
  return { block };
}

/**
 * subtensor's `get_neuron_to_prune`: the non-immune uid with the lowest emission (ties: earliest
 * registration, then lowest uid); if every uid is still immune, the immune uid chosen the same way.
 */
export function neuronToPrune(neurons: NeuronRow[], block: number, immunityPeriod: number): NeuronRow {
  const better = (a: NeuronRow, b: NeuronRow): boolean =>
    a.emission !== b.emission ? a.emission < b.emission : a.registeredAt !== b.registeredAt ? a.registeredAt < b.registeredAt : a.uid < b.uid;
  let free: NeuronRow | undefined;
  let immune: NeuronRow | undefined;
  for (const n of neurons) {
    const isImmune = block - n.registeredAt < immunityPeriod;
    if (isImmune) { if (!immune || better(n, immune)) immune = n; }
    else if (!free || better(n, free)) free = n;
  }
  return (free ?? immune)!;
}
