/**
 * The subtensor adapter's encoding, checked offline against real subtensor runtime metadata
 * (test/fixtures/subtensor/, see its README for provenance): pallet/call indices, argument SCALE
 * encoding (hand-computed bytes), signed-extrinsic round trip with our transaction-extension config,
 * runtime API names, dispatch error names, and decoding of a real NeuronInfoRuntimeApi response.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry, expandMetadata } from '@polkadot/types';
import type { Call, RuntimeVersion } from '@polkadot/types/interfaces';
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { unwrapStorageType } from '@polkadot/types/util';
import { cryptoWaitReady, decodeAddress, signatureVerify } from '@polkadot/util-crypto';
import { SUBTENSOR_SIGNED_EXTENSIONS } from '../../src/chain/subtensor/config.js';
import {
  addStakeCall, addStakeLimitCall, burnedRegisterCall, removeStakeCall, removeStakeLimitCall, serveAxonCall, swapStakeCall, swapStakeLimitCall, setCommitmentCall, setWeightsCall, type TxSections,
} from '../../src/chain/subtensor/calls.js';
import {
  commitmentFields, commitmentText, hyperparametersFromRuntime, subnetPoolFromRuntime, i32f32ToNumber, ipFromU128, ipToU128, metagraphFromNeurons, neuronLiteFromCodec, weightsFromStorage,
} from '../../src/chain/subtensor/codec.js';
import { errorForDispatch } from '../../src/chain/subtensor/subtensor.js';
import * as E from '../../src/chain/errors.js';

await cryptoWaitReady();
/** Works from test/chain (tsx) and dist/test/chain (compiled): fixtures stay in the source tree. */
function readFixture(name: string): Buffer {
  const candidates = [new URL(`../fixtures/subtensor/${name}`, import.meta.url), new URL(`../../../test/fixtures/subtensor/${name}`, import.meta.url)];
  for (const u of candidates) {
    try { return readFileSync(fileURLToPath(u)); } catch { /* next */ }
  }
  throw new Error(`fixture test/fixtures/subtensor/${name} not found`);
}

const registry = new TypeRegistry();
const metadata = new Metadata(registry, gunzipSync(readFixture('metadata-v15.scale.gz')));
registry.setMetadata(metadata, undefined, SUBTENSOR_SIGNED_EXTENSIONS, true);
const tx = expandMetadata(registry, metadata).tx as unknown as TxSections<Call>;

const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const alice = keyring.addFromUri('//Alice');
const hot = keyring.addFromUri('//Alice//hot');
const hex = (u: Uint8Array | Buffer) => u8aToHex(u).slice(2);
const le = (n: number | bigint, bytes: number) => {
  let v = BigInt(n);
  let s = '';
  for (let i = 0; i < bytes; i++) { s += (v & 0xffn).toString(16).padStart(2, '0'); v >>= 8n; }
  return s;
};

test('metadata: pallet and call indices zkinfer relies on', () => {
  assert.equal(metadata.version, 15);
  const pallets = Object.fromEntries(metadata.asLatest.pallets.map((p) => [p.name.toString(), p.index.toNumber()]));
  assert.equal(pallets['SubtensorModule'], 7);
  assert.equal(pallets['Commitments'], 18);
  const idx = (c: Call) => [c.callIndex[0], c.callIndex[1]];
  assert.deepEqual(idx(setWeightsCall(tx, { netuid: 1, uids: [], weights: [], versionKey: 0 })), [7, 0]);
  assert.deepEqual(idx(addStakeCall(tx, hot.address, 1, 1n)), [7, 2]);
  assert.deepEqual(idx(removeStakeCall(tx, hot.address, 1, 1n)), [7, 3]);
  assert.deepEqual(idx(serveAxonCall(tx, { netuid: 1, ip: '127.0.0.1', port: 1, version: 1 })), [7, 4]);
  assert.deepEqual(idx(burnedRegisterCall(tx, 1, hot.address)), [7, 7]);
  assert.deepEqual(idx(setCommitmentCall(tx, 1, 'x')), [18, 0]);
  // subtensor 14bc6f9f pallets/subtensor/src/macros/dispatches.rs: add_stake_limit call_index(88), remove_stake_limit (89)
  assert.deepEqual(idx(addStakeLimitCall(tx, hot.address, 1, 1n, 1n, false)), [7, 88]);
  assert.deepEqual(idx(removeStakeLimitCall(tx, hot.address, 1, 1n, 1n, true)), [7, 89]);
  // swap_stake call_index(87), swap_stake_limit (90)
  assert.deepEqual(idx(swapStakeCall(tx, hot.address, 1, 2, 1n)), [7, 87]);
  assert.deepEqual(idx(swapStakeLimitCall(tx, hot.address, 1, 2, 1n, 1n, true)), [7, 90]);
});

test('subnetPool: a DynamicInfo SCALE-encoded with the finney type decodes into the pool; the price and FeeRate reads exist', () => {
  const info = {
    netuid: 3, owner_hotkey: hot.address, owner_coldkey: alice.address, subnet_name: [], token_symbol: [], tempo: 360,
    last_step: 10, blocks_since_last_step: 2, emission: 0, alpha_in: 400_000_000_000n, alpha_out: 12_000_000_000n,
    tao_in: 100_000_000_000n, alpha_out_emission: 1_000_000_000n, alpha_in_emission: 17n, tao_in_emission: 5n,
    pending_alpha_emission: 0, pending_root_emission: 0, subnet_volume: 0, network_registered_at: 1, subnet_identity: null,
    moving_price: { bits: 1n << 30n },
  };
  const bytes = registry.createType('Option<PalletSubtensorRpcInfoDynamicInfo>', info).toU8a();
  const decoded = registry.createType('Option<PalletSubtensorRpcInfoDynamicInfo>', bytes) as unknown as { unwrap(): { toJSON(): Record<string, unknown> } };
  const pool = subnetPoolFromRuntime(3, decoded.unwrap().toJSON(), 250_000_000n, 33);
  assert.deepEqual(pool, {
    netuid: 3, taoIn: 100_000_000_000n, alphaIn: 400_000_000_000n, alphaOut: 12_000_000_000n, priceRao: 250_000_000n,
    movingPrice: 0.25, feeRate: 33, taoInEmission: 5n, alphaInEmission: 17n, alphaOutEmission: 1_000_000_000n,
  });
  const apis = Object.fromEntries(metadata.asV15.apis.map((a) => [a.name.toString(), a.methods.map((m) => m.name.toString())]));
  assert.ok(apis['SubnetInfoRuntimeApi']!.includes('get_dynamic_info'));
  assert.ok(apis['SwapRuntimeApi']!.includes('current_alpha_price'));
  const swap = metadata.asLatest.pallets.find((p) => p.name.toString() === 'Swap')!;
  assert.ok(swap.storage.unwrap().items.some((i) => i.name.toString() === 'FeeRate'));
});

test('add_stake_limit / remove_stake_limit encode (hotkey, netuid, amount, limit_price, allow_partial) and decode back', () => {
  const add = addStakeLimitCall(tx, hot.address, 3, 25_000_000_000n, 251_250_000n, true);
  // hotkey AccountId32 | netuid u16 | amount_staked u64 | limit_price u64 (rao of τ per α) | allow_partial bool
  assert.equal(hex(add.toU8a()), '0758' + hex(decodeAddress(hot.address)) + '0300' + le(25_000_000_000n, 8) + le(251_250_000n, 8) + '01');
  const back = registry.createType('Call', add.toU8a());
  assert.equal(`${back.section}.${back.method}`, 'subtensorModule.addStakeLimit');
  assert.deepEqual(back.meta.args.map((a) => a.name.toString()), ['hotkey', 'netuid', 'amountStaked', 'limitPrice', 'allowPartial']);
  const rm = removeStakeLimitCall(tx, hot.address, 3, 7n, 0n, false);
  assert.equal(hex(rm.toU8a()), '0759' + hex(decodeAddress(hot.address)) + '0300' + le(7n, 8) + le(0n, 8) + '00');
  assert.deepEqual(registry.createType('Call', rm.toU8a()).meta.args.map((a) => a.name.toString()), ['hotkey', 'netuid', 'amountUnstaked', 'limitPrice', 'allowPartial']);
  const sw = swapStakeLimitCall(tx, hot.address, 3, 0, 9n, 250_000_000n, true);
  assert.equal(hex(sw.toU8a()), '075a' + hex(decodeAddress(hot.address)) + '0300' + '0000' + le(9n, 8) + le(250_000_000n, 8) + '01');
  assert.deepEqual(registry.createType('Call', sw.toU8a()).meta.args.map((a) => a.name.toString()), ['hotkey', 'originNetuid', 'destinationNetuid', 'alphaAmount', 'limitPrice', 'allowPartial']);
});

test('call encoding matches hand-computed SCALE bytes and decodes back', () => {
  const sw = setWeightsCall(tx, { netuid: 1, uids: [2, 3], weights: [65535, 100], versionKey: 7 });
  // 07 00 | netuid u16 | Vec<u16> (compact len 2 = 0x08) | Vec<u16> | version_key u64
  assert.equal(hex(sw.toU8a()), '0700' + '0100' + '08' + '0200' + '0300' + '08' + 'ffff' + '6400' + le(7, 8));
  const back = registry.createType('Call', sw.toU8a());
  assert.equal(`${back.section}.${back.method}`, 'subtensorModule.setWeights');
  assert.deepEqual(back.args.map((a) => a.toJSON()), [1, [2, 3], [65535, 100], 7]);

  const reg = burnedRegisterCall(tx, 3, hot.address);
  assert.equal(hex(reg.toU8a()), '0707' + '0300' + hex(decodeAddress(hot.address)));

  const ax = serveAxonCall(tx, { netuid: 1, ip: '192.222.59.109', port: 8091, version: 9_011_001 });
  // netuid u16, version u32, ip u128, port u16, ip_type u8 (4), protocol u8 (4, like the Bittensor SDK), 2 placeholders
  assert.equal(hex(ax.toU8a()), '0704' + '0100' + le(9_011_001, 4) + le(3235789677n, 16) + le(8091, 2) + '04' + '04' + '00' + '00');

  const st = addStakeCall(tx, hot.address, 1, 1_500_000_000n);
  assert.equal(hex(st.toU8a()), '0702' + hex(decodeAddress(hot.address)) + '0100' + le(1_500_000_000n, 8));

  const cm = setCommitmentCall(tx, 1, 'abc');
  // CommitmentInfo { fields: BoundedVec<Data> }: compact len 1, Data::Raw3 = variant index 4, then 3 bytes.
  assert.equal(hex(cm.toU8a()), '1200' + '0100' + '04' + '04' + '616263');
  const cmBack = registry.createType('Call', cm.toU8a());
  const fields = (cmBack.args[1] as unknown as { fields: Array<{ type: string; value: { toU8a(b?: boolean): Uint8Array } }> }).fields;
  assert.equal(commitmentText(fields), 'abc');
});

test('signed extrinsic with the subtensor extension config round-trips and verifies', () => {
  const exts = metadata.asV15.extrinsic.signedExtensions.map((e) => e.identifier.toString());
  assert.deepEqual(registry.signedExtensions, exts);
  for (const name of ['SubtensorTransactionExtension', 'DrandPriority']) {
    assert.ok(exts.includes(name), `metadata declares ${name}`);
    assert.ok(name in SUBTENSOR_SIGNED_EXTENSIONS, `config covers ${name}`);
  }
  const call = setWeightsCall(tx, { netuid: 1, uids: [0, 1], weights: [1, 2], versionKey: 0 });
  const genesisHash = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03'; // finney
  const blockHash = '0x' + '11'.repeat(32);
  const xt = registry.createType('Extrinsic', call);
  xt.sign(hot, {
    blockHash, genesisHash, nonce: 5, tip: 10n,
    runtimeVersion: registry.createType('RuntimeVersion', { specVersion: 343, transactionVersion: 1 }) as unknown as RuntimeVersion,
    era: registry.createType('ExtrinsicEra', { current: 1000, period: 64 }),
    signedExtensions: registry.signedExtensions,
  });
  const back = registry.createType('Extrinsic', xt.toHex());
  assert.equal(back.isSigned, true);
  assert.equal(back.signer.toString(), hot.address);
  assert.equal(back.nonce.toNumber(), 5);
  assert.equal(back.tip.toBigInt(), 10n);
  assert.equal(back.method.toHex(), call.toHex());
  // The signature covers the payload polkadot-js builds from the same extensions: verify it independently.
  const payload = registry.createType('ExtrinsicPayload', {
    method: call.toHex(), blockHash, genesisHash, nonce: 5, tip: 10n, specVersion: 343, transactionVersion: 1,
    era: back.era, mode: 0,
  }, { version: 4 });
  const signed = payload.toU8a({ method: true });
  assert.ok(signed.length <= 256, 'short payloads are signed as-is (longer ones as their blake2 hash)');
  assert.equal(signatureVerify(signed, back.signature.toU8a(), hot.address).isValid, true);
  // A different nonce gives a payload the signature does not cover.
  const other = registry.createType('ExtrinsicPayload', { method: call.toHex(), blockHash, genesisHash, nonce: 6, tip: 10n, specVersion: 343, transactionVersion: 1, era: back.era, mode: 0 }, { version: 4 });
  assert.equal(signatureVerify(other.toU8a({ method: true }), back.signature.toU8a(), hot.address).isValid, false);
});

test('runtime APIs and dispatch errors the adapter uses exist with the expected shapes', () => {
  const apis = Object.fromEntries(metadata.asV15.apis.map((a) => [a.name.toString(), a.methods.map((m) => m.name.toString())]));
  assert.ok(apis['NeuronInfoRuntimeApi']?.includes('get_neurons_lite'), 'get_neurons_lite');
  assert.ok(apis['SubnetInfoRuntimeApi']?.includes('get_subnet_hyperparams_v2'), 'get_subnet_hyperparams_v2');
  const st = metadata.asLatest.pallets.find((p) => p.name.toString() === 'SubtensorModule')!;
  const storage = st.storage.unwrap().items.map((i) => i.name.toString());
  for (const s of ['BlockAtRegistration', 'Uids', 'MaxAllowedUids', 'Burn', 'CommitRevealWeightsEnabled']) assert.ok(storage.includes(s), `storage ${s}`);
  const errs = new Set(registry.lookup.getSiType(st.errors.unwrap().type).def.asVariant.variants.map((v) => v.name.toString()));
  const com = metadata.asLatest.pallets.find((p) => p.name.toString() === 'Commitments')!;
  for (const v of registry.lookup.getSiType(com.errors.unwrap().type).def.asVariant.variants) errs.add(v.name.toString());
  // Every devnet error that mirrors a dispatch error uses subtensor's exact name.
  const mirrored = [E.SubnetNotFoundError, E.HotkeyNotRegisteredError, E.AlreadyRegisteredError, E.HotkeyOwnedByOtherColdkeyError,
    E.InsufficientBalanceError, E.NotEnoughStakeError, E.TooManyRegistrationsError, E.InvalidAmountError,
    E.WeightVecLengthMismatchError, E.IncorrectWeightVersionKeyError, E.WeightsRateLimitError, E.InvalidUidError,
    E.TooFewWeightsError, E.DuplicateUidsError, E.NoValidatorPermitError, E.MaxWeightExceededError, E.CommitRevealEnabledError,
    E.InvalidAxonError, E.ServingRateLimitError, E.CommitmentTooLargeError];
  for (const C of mirrored) assert.ok(errs.has(new C('').code), `${C.name} code ${new C('').code} is a real dispatch error`);
  // …and a dispatch error from the node maps back to the typed class.
  assert.ok(errorForDispatch('subtensorModule', 'SettingWeightsTooFast', '') instanceof E.WeightsRateLimitError, 'mapped');
  assert.ok(errorForDispatch('subtensorModule', 'SomethingNew', '') instanceof E.ExtrinsicFailedError, 'fallback');
  // the slippage errors of the *_limit calls: both names exist in the finney metadata and map to their classes
  const errorNames = (pallet: string) => {
    const p = metadata.asLatest.pallets.find((x) => x.name.toString() === pallet)!;
    return registry.lookup.getSiType(p.errors.unwrap().type).def.asVariant.variants.map((v) => v.name.toString());
  };
  assert.ok(errorNames('SubtensorModule').includes('SlippageTooHigh'));
  assert.ok(errorNames('Swap').includes('PriceLimitExceeded'));
  assert.ok(errorNames('SubtensorModule').includes('SameNetuid'));
  assert.ok(errorForDispatch('subtensorModule', 'SlippageTooHigh', '') instanceof E.SlippageTooHighError);
  assert.ok(errorForDispatch('swap', 'PriceLimitExceeded', '') instanceof E.PriceLimitExceededError);
});

test('decodes a real NeuronInfoRuntimeApi.get_neurons_lite response (finney netuid 1) into a Metagraph', () => {
  const raw = readFixture('neurons-lite-netuid1.hex').toString('utf8').trim();
  const vec = registry.createType('Vec<PalletSubtensorRpcInfoNeuronInfoNeuronInfoLite>', raw);
  assert.equal(vec.length, 3);
  const mg = metagraphFromNeurons(1, 6852690, vec.map(neuronLiteFromCodec), new Map([[24, 100]]));
  assert.deepEqual(mg.uids, [0, 24, 395]);
  assert.equal(mg.hotkeys[0], '5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ');
  assert.equal(mg.coldkeys[0], '5EhQWxcFdYAk7B9tNdQnJQFzww5N3964rbsMk55SujcX3PwM');
  assert.deepEqual({ ...mg.axons[0]! }, {
    hotkey: mg.hotkeys[0], coldkey: mg.coldkeys[0], ip: '192.222.59.109', ipType: 4, port: 6028, version: 9_011_001, protocol: 4, block: 6_575_906,
  });
  assert.equal(mg.stake[0], 2_557_172_316n);
  // uid 24: a validator (permit, full validator trust, dividends 2244/65535); uid 395: the miner with all incentive.
  assert.deepEqual(mg.validatorPermit, [false, true, true]);
  assert.equal(mg.validatorTrust[1], 1);
  assert.equal(mg.dividends[1], 2244 / 65535);
  assert.equal(mg.emission[1], 1_404_278_762n);
  assert.deepEqual(mg.incentive, [0, 0, 1]);
  assert.deepEqual(mg.active, [false, true, false]);
  assert.deepEqual(mg.lastUpdate, [2_543_521, 6_852_572, 2_540_585]);
  assert.deepEqual(mg.blockAtRegistration, [0, 100, 0]);
  assert.equal(mg.axons[1]!.ip, '0.0.0.0');
});

test('codec helpers: IPs, hyperparameters, commitment chunks', () => {
  assert.deepEqual(ipToU128('127.0.0.1'), { ip: 2130706433n, ipType: 4 });
  assert.equal(ipFromU128(2130706433n, 4), '127.0.0.1');
  const v6 = ipToU128('2001:db8::1');
  assert.equal(v6.ipType, 6);
  assert.equal(v6.ip, (0x2001n << 112n) | (0xdb8n << 96n) | 1n);
  assert.equal(ipFromU128(v6.ip, 6), '2001:db8::1');
  assert.throws(() => ipToU128('localhost'), E.InvalidAxonError);
  // A SubnetHyperparamsV2 value built by the real type, read back through toJSON as on a live node.
  const h = registry.createType('PalletSubtensorRpcInfoSubnetInfoSubnetHyperparamsV2', {
    kappa: 32767, tempo: 360, bondsMovingAvg: 900000, maxValidators: 64, immunityPeriod: 5000, weightsRateLimit: 100,
    minAllowedWeights: 1, maxWeightsLimit: 65535, weightsVersion: 3, activityCutoff: 5000, maxRegsPerBlock: 1,
    servingRateLimit: 50, commitRevealWeightsEnabled: true, commitRevealPeriod: 2, yumaVersion: 3,
    liquidAlphaEnabled: true, alphaLow: 40000, alphaHigh: 60000, alphaSigmoidSteepness: { bits: -250n << 32n },
    rho: 10, minBurn: 500_000, maxBurn: 100_000_000_000, difficulty: 10_000_000, maxDifficulty: 2n ** 63n,
    registrationAllowed: true, subnetIsActive: true, targetRegsPerInterval: 2, adjustmentInterval: 112,
  });
  // alpha_sigmoid_steepness is an I32F32 (substrate_fixed FixedI64<U32>) in the real type
  assert.equal(JSON.parse(h.toRawType()).alphaSigmoidSteepness, 'SubstrateFixedFixedI64');
  // BondsPenalty is a u16 storage map keyed by netuid (not in SubnetHyperparamsV2)
  const bp = expandMetadata(registry, metadata).query['subtensorModule']!['bondsPenalty']!;
  assert.equal(registry.lookup.getTypeDef(bp.meta.type.asMap.value).type, 'u16');
  assert.deepEqual(bp.meta.type.asMap.hashers.map((x) => x.type), ['Identity'], 'keyed by netuid, Identity-hashed');
  const hp = hyperparametersFromRuntime(h.toJSON() as Record<string, unknown>, { maxAllowedUids: 256, burn: 123n, bondsPenalty: 32768 });
  assert.deepEqual(hp, {
    tempo: 360, kappa: 32767, bondsMovingAvg: 900000, maxAllowedUids: 256, maxAllowedValidators: 64, immunityPeriod: 5000,
    weightsRateLimit: 100, minAllowedWeights: 1, maxWeightsLimit: 65535, weightsVersion: 3, activityCutoff: 5000, burn: 123n,
    maxRegistrationsPerBlock: 1, servingRateLimit: 50, commitRevealWeightsEnabled: true, revealPeriodEpochs: 2, yuma3Enabled: true,
    liquidAlphaEnabled: true, alphaLow: 40000, alphaHigh: 60000, alphaSigmoidSteepness: -250, bondsPenalty: 32768,
    // the rest of the SDK's SubnetHyperparameters (u64s beyond 2^53 exact as bigint)
    rho: 10, minDifficulty: 0n, maxDifficulty: 2n ** 63n, adjustmentInterval: 112, registrationAllowed: true, targetRegsPerInterval: 2,
    minBurn: 500_000n, maxBurn: 100_000_000_000n, adjustmentAlpha: 0n, difficulty: 10_000_000n, subnetIsActive: true,
    transfersEnabled: false, bondsResetEnabled: false, userLiquidityEnabled: false,
  });
  // the same bytes decoded from SCALE (as a node's state_call answer arrives), and an I32F32 with a fraction
  const decoded = registry.createType('PalletSubtensorRpcInfoSubnetInfoSubnetHyperparamsV2', h.toU8a());
  assert.equal(hyperparametersFromRuntime(decoded.toJSON() as Record<string, unknown>, { maxAllowedUids: 256, burn: 123n, bondsPenalty: 32768 }).alphaSigmoidSteepness, -250);
  assert.equal(i32f32ToNumber(registry.createType('SubstrateFixedFixedI64', { bits: (3n << 32n) + (1n << 31n) }).toJSON()), 3.5);
  // finney allows 3 fields per commitment: 384 bytes.
  assert.equal(expandMetadata(registry, metadata).consts['commitments']!['maxFields']!.toString(), '3');
  const big = 'x'.repeat(300);
  const f = commitmentFields(big);
  assert.deepEqual(f.map((o) => Object.keys(o)[0]), ['Raw128', 'Raw128', 'Raw44']);
  const call = setCommitmentCall(tx, 2, big);
  const back = registry.createType('Call', call.toU8a());
  assert.equal(commitmentText((back.args[1] as unknown as { fields: Array<{ type: string; value: { toU8a(b?: boolean): Uint8Array } }> }).fields), big);
});

test('no subtensor node at the URL → ChainConnectionError', async () => {
  const { SubtensorChain } = await import('../../src/chain/subtensor/subtensor.js');
  await assert.rejects(SubtensorChain.connect({ network: 'ws://127.0.0.1:1' }), E.ChainConnectionError);
});

test('Weights storage read (verify-weights): the recorded finney answer decodes to the weights, its key is the one we query', () => {
  // test/fixtures/subtensor/weights-netuid23.json: state_getKeysPaged + state_queryStorageAt answers recorded by the
  // Bittensor SDK's integration data (origin in the file and the fixtures README)
  const rec = JSON.parse(readFixture('weights-netuid23.json').toString('utf8')) as { netuid: number; keys_paged: { prefix: string; result: string[] }; query_storage_at: Array<[string, string]> };
  const entry = (expandMetadata(registry, metadata).query as unknown as Record<string, Record<string, ((...a: number[]) => Uint8Array) & { keyPrefix(...a: number[]): Uint8Array; meta: { type: never; modifier: { isOptional: boolean } } }>>)['subtensorModule']!['weights']!;
  assert.equal(u8aToHex(entry.keyPrefix(rec.netuid)), rec.keys_paged.prefix);
  const [key, value] = rec.query_storage_at[0]!;
  assert.equal(key, rec.keys_paged.result[0]);
  // the key is Weights(23, 10): both halves Identity-hashed u16s
  assert.equal(u8aToHex(compactStripLength(entry(rec.netuid, 10))[1]), key);
  const type = unwrapStorageType(registry, entry.meta.type, entry.meta.modifier.isOptional);
  assert.equal(type, 'Vec<(u16,u16)>');
  assert.deepEqual(weightsFromStorage(registry.createType(type, value)), [[10, 65535]]);
  // the storage default (no weights set) is an empty Vec; zero weights are not weights
  assert.deepEqual(weightsFromStorage(registry.createType(type, '0x00')), []);
  assert.deepEqual(weightsFromStorage(registry.createType(type, '0x080a00ffff0b000000')), [[10, 65535]]);
});
