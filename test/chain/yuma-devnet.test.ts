import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import * as E from '../../src/chain/errors.js';
import type { Hyperparameters } from '../../src/chain/types.js';
import { runToNextEpoch, stakedValidator } from './devnet-fixtures.js';
import { Store, type NeuronRow } from '../../src/chain/devnet/store.js';
import { applyEpoch } from '../../src/chain/devnet/clock.js';
import { checkAlphaValues, DEFAULT_HYPERPARAMETERS } from '../../src/chain/devnet/hyperparams.js';
import { toNumber, u16Proportion } from '../../src/chain/yuma/fixed.js';

// The devnet's liquid-alpha hyperparameters reach the epoch (docs/chain.md "Yuma consensus").

/** Subnet 1 with validators 60 / 40 τ (uids 0, 1) weighting miners 2..4 by 50/30/20, run to its first epoch. */
async function firstEpochBonds(h: Partial<Hyperparameters>): Promise<{ bonds: Array<[number, number]>; hyper: Hyperparameters }> {
  const dev = await Devnet.open({ hyperparameters: { tempo: 10, weightsRateLimit: 3, ...h } });
  try {
    const v0 = await stakedValidator(dev, { netuid: 1, coldUri: '//Yuma', validatorUri: '//Yuma//v0', faucetTao: 1000, stakeTao: 60 });
    const v1 = await stakedValidator(dev, { netuid: 1, coldUri: '//Yuma', validatorUri: '//Yuma//v1', faucetTao: 100, stakeTao: 40 });
    for (const m of ['//Yuma//m0', '//Yuma//m1', '//Yuma//m2']) await dev.burnedRegister(1, v0.cold, v0.keyring.addFromUri(m).address);
    dev.produceBlocks(3);
    for (const v of [v0.validator, v1.validator]) await dev.setWeights(v, { netuid: 1, uids: [2, 3, 4], weights: [50, 30, 20], versionKey: 0 });
    runToNextEpoch(dev, 1);
    return { bonds: dev.bondsOf(1)[0]!, hyper: await dev.hyperparameters(1) };
  } finally {
    await dev.close();
  }
}

test('liquid alpha on a Yuma3 devnet subnet: bonds move at α_low = α_high = 0.3 instead of 1 − bondsMovingAvg = 0.1', async () => {
  const off = await firstEpochBonds({ yuma3Enabled: true });
  assert.equal(off.hyper.liquidAlphaEnabled, false);
  assert.deepEqual(off.bonds, [[2, 3276], [3, 1966], [4, 1310]]);
  // 0.3 (u16 19660) × W = 0.3 × 0.5 / 0.3 / 0.2, as u16.
  const on = await firstEpochBonds({ yuma3Enabled: true, liquidAlphaEnabled: true, alphaLow: 19660, alphaHigh: 19660 });
  assert.equal(on.hyper.liquidAlphaEnabled, true);
  assert.deepEqual([on.hyper.alphaLow, on.hyper.alphaHigh, on.hyper.alphaSigmoidSteepness], [19660, 19660, 1000]);
  assert.deepEqual(on.bonds.map(([j]) => j), [2, 3, 4]);
  [0.5, 0.3, 0.2].forEach((w, k) => assert.ok(Math.abs(on.bonds[k]![1] - 0.3 * w * 65535) <= 2, `bond on ${k + 2}: ${on.bonds[k]![1]}`));
  // As on chain, liquid alpha acts only in Yuma3: original Yuma stores column-max-upscaled bonds either way.
  const original = await firstEpochBonds({ liquidAlphaEnabled: true, alphaLow: 19660, alphaHigh: 19660 });
  assert.deepEqual(original.bonds, [[2, 65535], [3, 65535], [4, 65535]]);
});

test("alpha values outside subtensor's range are refused with its typed errors", async () => {
  // The value checks of test_get_set_alpha (opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0,
  // pallets/subtensor/src/tests/epoch.rs); the devnet takes alpha values with the subnet's hyperparameters.
  const [low, high] = [1638, 65535 - 10];
  checkAlphaValues({ alphaLow: low, alphaHigh: high });
  assert.throws(() => checkAlphaValues({ alphaLow: low, alphaHigh: Math.floor(65535 / 40) - 1 }), E.AlphaHighTooLowError);
  assert.throws(() => checkAlphaValues({ alphaLow: 0, alphaHigh: high }), E.AlphaLowOutOfRangeError);
  assert.throws(() => checkAlphaValues({ alphaLow: high + 1, alphaHigh: high }), E.AlphaLowOutOfRangeError);
  assert.ok(Math.abs(toNumber(u16Proportion(low)) - low / 65535) < 1e-6 && Math.abs(toNumber(u16Proportion(high)) - high / 65535) < 1e-6);
  await assert.rejects(Devnet.open({ hyperparameters: { alphaLow: 1000, alphaHigh: 20000 } }), E.AlphaLowOutOfRangeError);
  await assert.rejects(Devnet.open({ hyperparameters: { alphaLow: 30000, alphaHigh: 20000 } }), E.AlphaLowOutOfRangeError);
  const dev = await Devnet.open({});
  try {
    await assert.rejects(dev.createSubnet('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY', { alphaLow: 1000, alphaHigh: 1000 }), E.AlphaHighTooLowError);
    assert.deepEqual(await dev.subnets(), [1], 'no subnet created');
  } finally {
    await dev.close();
  }
});

test("commit-reveal subnet: the devnet's queued commits mask weights on uids registered after them (subtensor's sniped-uid case)", () => {
  // A real devnet store: validator V (uid 0, the only permit) has a commit queued at block 22; uid 1's slot was
  // taken by N at block 23; V's stored weights (set at 24) put half on itself and half on uid 1. Epoch at block 24.
  const run = (queued: boolean): NeuronRow[] => {
    const store = new Store(':memory:');
    try {
      store.insertSubnet(1, 'owner', { ...DEFAULT_HYPERPARAMETERS, tempo: 10, commitRevealWeightsEnabled: true, maxAllowedValidators: 1 }, 0);
      const neuron = (uid: number, hotkey: string, registeredAt: number, weights: Array<[number, number]>): NeuronRow => ({
        netuid: 1, uid, hotkey, coldkey: 'C', registeredAt, lastUpdate: weights.length ? 24 : registeredAt, validatorPermit: uid === 0, active: true,
        consensus: 0, incentive: 0, dividends: 0, trust: 0, validatorTrust: 0, emission: 0n, weights, bonds: [],
      });
      store.putNeuron(neuron(0, 'V', 0, [[0, 32767], [1, 32767]]));
      store.putNeuron(neuron(1, 'N', 23, []));
      store.putNeuron(neuron(2, 'F', 0, []));
      store.setStake('V', 'C', 10_000n);
      store.setStake('N', 'C', 10_000n);
      store.setStake('F', 'C', 5_000n);
      if (queued) store.addTimelockedCommit({ netuid: 1, epoch: store.subnet(1)!.epochIndex, hotkey: 'V', block: 22, round: 1, commitHex: '00' });
      const s = store.subnet(1)!;
      s.pendingEmission = 1_000_000n;
      applyEpoch(store, s, 24);
      return store.neurons(1);
    } finally {
      store.close();
    }
  };
  assert.equal(run(true)[1]!.incentive, 0, 'masked: N inherits nothing');
  assert.ok(run(false)[1]!.incentive > 0, 'no queued commit: the weight counts');
});
