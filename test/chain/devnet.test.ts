import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { runToNextEpoch } from './devnet-fixtures.js';
import { signCall } from '../../src/chain/devnet/calls.js';
import * as E from '../../src/chain/errors.js';
import { taoToRao, type Signer } from '../../src/chain/types.js';

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
const key = (uri: string): Signer => keyring.addFromUri(uri);

const cold = key('//Alice');
const vali = [key('//Alice//v0'), key('//Alice//v1')];
const miners = [key('//Alice//m0'), key('//Alice//m1'), key('//Alice//m2')];

/** A devnet (manual clock) with 2 staked validators (uids 0, 1) and 3 miners (uids 2..4) on subnet 1. */
async function network(opts: Parameters<typeof Devnet.open>[0] = {}): Promise<Devnet> {
  const dev = await Devnet.open({ hyperparameters: { tempo: 10, weightsRateLimit: 3 }, ...opts });
  await dev.faucet(cold.address, taoToRao(1000));
  for (const k of [...vali, ...miners]) await dev.burnedRegister(1, cold, k.address);
  await dev.addStake(cold, vali[0]!.address, taoToRao(60));
  await dev.addStake(cold, vali[1]!.address, taoToRao(40));
  return dev;
}

test('registration assigns uids, burns, and validator permits follow stake', async () => {
  const dev = await network();
  const mg = await dev.metagraph(1);
  assert.deepEqual(mg.uids, [0, 1, 2, 3, 4]);
  assert.deepEqual(mg.hotkeys, [...vali, ...miners].map((k) => k.address));
  assert.deepEqual(mg.stake, [taoToRao(60), taoToRao(40), 0n, 0n, 0n]);
  assert.deepEqual(mg.validatorPermit, [true, true, false, false, false]);
  // 1000 − 5 × 1 TAO burn − 100 staked.
  assert.equal(await dev.balance(cold.address), taoToRao(895));
  assert.equal(await dev.uidOf(1, miners[1]!.address), 3);
  await assert.rejects(dev.burnedRegister(1, cold, miners[0]!.address), E.AlreadyRegisteredError);
  await assert.rejects(dev.burnedRegister(7, cold, key('//x').address), E.SubnetNotFoundError);
  const poor = key('//Poor');
  await assert.rejects(dev.burnedRegister(1, poor, key('//Poor//h').address), E.InsufficientBalanceError);
  // A hotkey registered by one coldkey cannot be taken over by another.
  await dev.faucet(poor.address, taoToRao(5));
  const net2 = await dev.createSubnet(cold.address);
  await assert.rejects(dev.burnedRegister(net2, poor, miners[0]!.address), E.HotkeyOwnedByOtherColdkeyError);
  await dev.close();
});

test('set_weights: every subtensor check has its own typed error', async () => {
  const dev = await network({ hyperparameters: { tempo: 100, weightsRateLimit: 3, minAllowedWeights: 2, weightsVersion: 7, maxWeightsLimit: 52428 } });
  dev.produceBlocks(3);
  const v0 = vali[0]!;
  const ok = { netuid: 1, uids: [2, 3, 4], weights: [30000, 20000, 15000], versionKey: 7 };
  await assert.rejects(dev.setWeights(v0, { ...ok, weights: [1, 2] }), E.WeightVecLengthMismatchError);
  await assert.rejects(dev.setWeights(v0, { ...ok, netuid: 9 }), E.SubnetNotFoundError);
  await assert.rejects(dev.setWeights(key('//Nobody'), ok), E.HotkeyNotRegisteredError);
  await assert.rejects(dev.setWeights(v0, { ...ok, versionKey: 6 }), E.IncorrectWeightVersionKeyError);
  await assert.rejects(dev.setWeights(v0, { ...ok, uids: [2, 3, 5] }), E.InvalidUidError);
  await assert.rejects(dev.setWeights(v0, { ...ok, uids: [2], weights: [1] }), E.TooFewWeightsError);
  await assert.rejects(dev.setWeights(v0, { ...ok, weights: [65535, 1, 1] }), E.MaxWeightExceededError);
  await assert.rejects(dev.setWeights(v0, { ...ok, uids: [2, 2, 3] }), E.DuplicateUidsError);
  await assert.rejects(dev.setWeights(miners[0]!, { ...ok, uids: [3, 4], weights: [1, 1] }), E.NoValidatorPermitError);
  // A miner may always set a self-weight only.
  await dev.setWeights(miners[0]!, { netuid: 1, uids: [2], weights: [1], versionKey: 7 });
  // Success, then the rate limit.
  const r = await dev.setWeights(v0, ok);
  assert.equal(r.block, dev.block);
  assert.deepEqual(dev.weightsOf(1)[0], [[2, 65535], [3, 43690], [4, 32768]]);
  await assert.rejects(dev.setWeights(v0, ok), E.WeightsRateLimitError);
  dev.produceBlocks(3);
  await dev.setWeights(v0, ok);
  // Every rejection is a ChainError carrying subtensor's error name and a hint.
  const err = await dev.setWeights(v0, ok).catch((e: unknown) => e);
  assert.ok(err instanceof E.ChainError, 'a ChainError');
  assert.equal(err.code, 'SettingWeightsTooFast');
  assert.match(err.describe(), /Wait/);
  await dev.close();
});

test('signed calls: bad signature, replay and stale calls are rejected', async () => {
  const dev = await network();
  const call = signCall(dev.genesis, cold, 'addStake', { hotkey: vali[0]!.address, amount: '5' }, dev.block);
  assert.throws(() => dev.submit({ ...call, signer: vali[1]!.address }), E.BadSignatureError);
  assert.throws(() => dev.submit({ ...call, params: { ...call.params, amount: '6' } }), E.BadSignatureError);
  dev.submit(call);
  assert.throws(() => dev.submit(call), E.ReplayedCallError);
  // Signed for another devnet (different genesis) → does not verify here.
  assert.throws(() => dev.submit(signCall('00'.repeat(16), cold, 'addStake', { hotkey: vali[0]!.address, amount: '5' }, dev.block)), E.BadSignatureError);
  const old = signCall(dev.genesis, cold, 'addStake', { hotkey: vali[0]!.address, amount: '5' }, dev.block);
  dev.produceBlocks(65);
  assert.throws(() => dev.submit(old), E.StaleCallError);
  await dev.close();
});

test('serve_axon validity checks and rate limit; commitments', async () => {
  const dev = await network({ hyperparameters: { servingRateLimit: 4 } });
  const m = miners[0]!;
  await assert.rejects(dev.serveAxon(m, { netuid: 1, ip: '999.1.1.1', port: 8091, version: 1000 }), E.InvalidAxonError);
  await assert.rejects(dev.serveAxon(m, { netuid: 1, ip: '0.0.0.0', port: 8091, version: 1000 }), E.InvalidAxonError);
  await assert.rejects(dev.serveAxon(m, { netuid: 1, ip: '127.0.0.1', port: 0, version: 1000 }), E.InvalidAxonError);
  await assert.rejects(dev.serveAxon(m, { netuid: 1, ip: '127.0.0.1', port: 8091, version: 0 }), E.InvalidAxonError);
  await assert.rejects(dev.serveAxon(key('//Nobody'), { netuid: 1, ip: '127.0.0.1', port: 8091, version: 1 }), E.HotkeyNotRegisteredError);
  dev.produceBlock();
  await dev.serveAxon(m, { netuid: 1, ip: '127.0.0.1', port: 8091, version: 1_002_003 });
  await assert.rejects(dev.serveAxon(m, { netuid: 1, ip: '127.0.0.1', port: 8092, version: 1_002_003 }), E.ServingRateLimitError);
  dev.produceBlocks(4);
  await dev.serveAxon(m, { netuid: 1, ip: '::1', port: 8092, version: 1_002_003 });
  const mg = await dev.metagraph(1);
  assert.deepEqual({ ...mg.axons[2], block: 0 }, { hotkey: m.address, coldkey: cold.address, ip: '::1', ipType: 6, port: 8092, version: 1_002_003, protocol: 0, block: 0 });
  assert.equal(mg.axons[3]!.ip, '0.0.0.0');
  await dev.commit(m, 1, '{"circuits":["ab"]}');
  assert.deepEqual((await dev.commitments(1)).map((c) => [c.hotkey, c.data]), [[m.address, '{"circuits":["ab"]}']]);
  await assert.rejects(dev.commit(m, 1, 'x'.repeat(1025)), E.CommitmentTooLargeError);
  await dev.close();
});

test('stake add/remove moves balance; errors for too much', async () => {
  const dev = await network();
  await dev.removeStake(cold, vali[1]!.address, taoToRao(10));
  assert.equal((await dev.metagraph(1)).stake[1], taoToRao(30));
  assert.equal(await dev.balance(cold.address), taoToRao(905));
  await assert.rejects(dev.removeStake(cold, vali[1]!.address, taoToRao(31)), E.NotEnoughStakeError);
  await assert.rejects(dev.addStake(cold, vali[1]!.address, taoToRao(10_000)), E.InsufficientBalanceError);
  await assert.rejects(dev.addStake(cold, key('//Unknown').address, 1n), E.HotkeyNotRegisteredError);
  await assert.rejects(dev.addStake(cold, vali[1]!.address, 0n), E.InvalidAmountError);
  // Permits follow stake: with max 1 validator the larger stake holds it.
  const dev1 = await network({ hyperparameters: { maxAllowedValidators: 1 } });
  assert.deepEqual((await dev1.metagraph(1)).validatorPermit.slice(0, 2), [true, false]);
  await dev1.addStake(cold, vali[1]!.address, taoToRao(30));
  assert.deepEqual((await dev1.metagraph(1)).validatorPermit.slice(0, 2), [false, true]);
  await dev.close();
  await dev1.close();
});

test('epoch: weights set → incentive, dividends and emission appear; owner gets 18% per block', async () => {
  const dev = await network();
  const owner = (await dev.balance(cold.address)); // //Alice owns subnet 1 and is also the coldkey here
  dev.produceBlocks(3);
  await dev.setWeights(vali[0]!, { netuid: 1, uids: [2, 3, 4], weights: [50, 30, 20], versionKey: 0 });
  await dev.setWeights(vali[1]!, { netuid: 1, uids: [2, 3, 4], weights: [50, 30, 20], versionKey: 0 });
  let mg = await dev.metagraph(1);
  assert.deepEqual(mg.incentive, [0, 0, 0, 0, 0]);
  // Run to the first epoch of netuid 1 (subtensor's 2026 schedule: anchor + tempo, see the schedule test below).
  const epochBlock = runToNextEpoch(dev, 1);
  assert.equal(dev.lastEpochBlock(1), epochBlock);
  mg = await dev.metagraph(1);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  assert.deepEqual(mg.incentive.map(r), [0, 0, 0.5, 0.3, 0.2]);
  assert.deepEqual(mg.dividends.map(r), [0.6, 0.4, 0, 0, 0]);
  assert.deepEqual(mg.consensus.map(r), [0, 0, 0.5, 0.3, 0.2]);
  assert.deepEqual(mg.validatorTrust.map(r), [1, 1, 0, 0, 0]);
  // epochBlock blocks × 1 TAO × 82% split 50/50: miners 0.5/0.3/0.2, validators 0.6/0.4.
  const pool = BigInt(epochBlock) * 820_000_000n;
  const expected = [pool * 30n / 100n, pool * 20n / 100n, pool * 25n / 100n, pool * 15n / 100n, pool * 10n / 100n];
  mg.emission.forEach((e, i) => assert.ok(e <= expected[i]! && expected[i]! - e < 1000n, `emission ${i}: ${e} vs ${expected[i]}`));
  // Emission is credited as stake to the hotkeys.
  assert.equal(mg.stake[2], mg.emission[2]);
  assert.equal(mg.stake[0], taoToRao(60) + mg.emission[0]!);
  // Owner cut: 18% of 1 TAO per block, to the subnet owner's balance.
  assert.equal(await dev.balance(cold.address), owner + BigInt(epochBlock) * 180_000_000n);
  await dev.close();
});

test('per-subnet Yuma3 switch: bonds stored as plain u16 proportions (α·W), not column-max-upscaled', async () => {
  const dev = await network({ hyperparameters: { tempo: 10, weightsRateLimit: 3, yuma3Enabled: true } });
  assert.equal((await dev.hyperparameters(1)).yuma3Enabled, true);
  dev.produceBlocks(3);
  for (const v of vali) await dev.setWeights(v, { netuid: 1, uids: [2, 3, 4], weights: [50, 30, 20], versionKey: 0 });
  runToNextEpoch(dev, 1);
  // B' = 0.1 · W (rows normalised 0.5 / 0.3 / 0.2), stored as floor(x · 65535); original Yuma would store 65535s.
  assert.deepEqual(dev.bondsOf(1)[0], [[2, 3276], [3, 1966], [4, 1310]]);
  const mg = await dev.metagraph(1);
  assert.deepEqual(mg.dividends.map((x) => Math.round(x * 1000) / 1000), [0.6, 0.4, 0, 0, 0]);
  await dev.close();
});

test('registration pruning: a full subnet replaces the lowest-emission non-immune uid', async () => {
  const dev = await Devnet.open({ hyperparameters: { maxAllowedUids: 3, immunityPeriod: 5, tempo: 10, weightsRateLimit: 0 } });
  await dev.faucet(cold.address, taoToRao(100));
  const ks = [key('//P0'), key('//P1'), key('//P2'), key('//P3'), key('//P4')];
  await dev.burnedRegister(1, cold, ks[0]!.address);
  await dev.addStake(cold, ks[0]!.address, taoToRao(10));
  await dev.burnedRegister(1, cold, ks[1]!.address);
  dev.produceBlock();
  await dev.burnedRegister(1, cold, ks[2]!.address);
  dev.produceBlock(); // weights set in a target's registration block count as outdated
  // uid 0 (the validator) weights uid 2 only; after the epoch uid 2 earns incentive, uid 1 nothing.
  await dev.setWeights(ks[0]!, { netuid: 1, uids: [2], weights: [1], versionKey: 0 });
  runToNextEpoch(dev, 1);
  const before = await dev.metagraph(1);
  assert.ok(before.emission[2]! > 0n && before.emission[1] === 0n, `emission ${before.emission}`);
  // Full: uid 1 has the lowest emission among non-immune uids (uid 0 has dividends) → replaced.
  const r = await dev.burnedRegister(1, cold, ks[3]!.address);
  assert.equal(r.uid, 1);
  assert.equal(r.replacedHotkey, ks[1]!.address);
  let mg = await dev.metagraph(1);
  assert.equal(mg.n, 3);
  assert.deepEqual(mg.hotkeys, [ks[0]!.address, ks[3]!.address, ks[2]!.address]);
  assert.equal(mg.blockAtRegistration[1], dev.block);
  assert.equal(mg.emission[1], 0n);
  // uid 1 is now immune: the next registration takes the lowest-emission non-immune uid instead (uid 2 < uid 0).
  const r2 = await dev.burnedRegister(1, cold, ks[4]!.address);
  mg = await dev.metagraph(1);
  assert.notEqual(r2.uid, 1);
  assert.ok(mg.hotkeys.includes(ks[3]!.address) && mg.hotkeys.includes(ks[4]!.address), 'both new hotkeys registered');
  await dev.close();
});

test('restart keeps state: balances, neurons, weights, bonds, block number', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkinfer-devnet-'));
  try {
    const dev = await network({ dataDir: dir });
    dev.produceBlocks(3);
    await dev.setWeights(vali[0]!, { netuid: 1, uids: [2, 3], weights: [1, 1], versionKey: 0 });
    dev.produceBlocks(10);
    const mg = await dev.metagraph(1);
    const bonds = dev.bondsOf(1);
    const genesis = dev.genesis;
    const block = dev.block;
    await dev.close();

    const again = await Devnet.open({ dataDir: dir });
    assert.equal(again.genesis, genesis);
    assert.equal(again.block, block);
    assert.deepEqual(await again.metagraph(1), mg);
    assert.deepEqual(again.bondsOf(1), bonds);
    assert.equal((await again.hyperparameters(1)).tempo, 10);
    assert.ok(bonds[0]!.length > 0, 'bonds stored');
    // Keeps working after restart: the old validator key still signs valid calls.
    again.produceBlocks(3);
    await again.setWeights(vali[0]!, { netuid: 1, uids: [2, 4], weights: [1, 1], versionKey: 0 });
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a closed devnet refuses to produce blocks with a clear error', async () => {
  const dev = await Devnet.open();
  await dev.close();
  assert.throws(() => dev.produceBlock(), (e: unknown) => e instanceof E.ChainConnectionError && /closed/.test(e.message));
});

test("epochs follow subtensor's 2026 schedule: period tempo from the creation anchor, at most 2 subnets per block", async () => {
  // opentensor/subtensor 14bc6f9f: register_network anchors LastEpochBlock at now − (netuid mod tempo); an epoch
  // is due when block − LastEpochBlock ≥ tempo; MaxEpochsPerBlock = 2 defers the third due subnet one block.
  const dev = await Devnet.open({ hyperparameters: { tempo: 10 } });
  try {
    await dev.faucet(cold.address, taoToRao(10));
    const n2 = await dev.createSubnet(cold.address, { tempo: 10 });
    const n3 = await dev.createSubnet(cold.address, { tempo: 10 });
    dev.produceBlocks(5);
    const n4 = await dev.createSubnet(cold.address, { tempo: 7 });
    assert.deepEqual([n2, n3, n4], [2, 3, 4]);
    assert.deepEqual([1, 2, 3, 4].map((n) => dev.lastEpochBlock(n)), [0, 0, 0, 5 - (4 % 7)]);
    const seen = new Map<number, number[]>([[1, []], [2, []], [3, []], [4, []]]);
    dev.onBlock((b) => { for (const [n, list] of seen) if (dev.lastEpochBlock(n) === b) list.push(b); });
    dev.produceBlocks(30);
    assert.deepEqual(seen.get(1), [10, 20, 30]);
    assert.deepEqual(seen.get(2), [10, 20, 30]);
    assert.deepEqual(seen.get(3), [11, 21, 31], 'deferred: two subnets already ran at 10');
    assert.deepEqual(seen.get(4), [8, 15, 22, 29]);
    assert.equal(dev.nextEpochBlock(1), 40);
  } finally {
    await dev.close();
  }
});
