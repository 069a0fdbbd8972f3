import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import * as E from '../../src/chain/errors.js';
import { taoToRao } from '../../src/chain/types.js';
import { weightsRefusal } from '../../src/validator/weights-guard.js';
import { setWeightsOrCommit } from '../../src/chain/timelock/commit.js';

// The guard refuses exactly where the devnet (subtensor's checks) would refuse the set_weights.

test('weightsRefusal matches the chain: commit-reveal subnet, no permit, unregistered, allowed', async () => {
  await cryptoWaitReady();
  const k = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const cold = k.addFromUri('//GuardCold');
  const [v, m1, m2] = ['//GuardCold//v', '//GuardCold//m1', '//GuardCold//m2'].map((u) => k.addFromUri(u));
  const dev = await Devnet.open({ hyperparameters: { weightsRateLimit: 0 } });
  try {
    await dev.faucet(cold.address, taoToRao(100));
    const cr = await dev.createSubnet(cold.address, { commitRevealWeightsEnabled: true, weightsRateLimit: 0 });
    for (const netuid of [1, cr]) for (const h of [v!, m1!, m2!]) await dev.burnedRegister(netuid, cold, h.address);
    const w = { uids: [1, 2], weights: [1, 1], versionKey: 0 };
    const check = async (netuid: number, hotkey: string) =>
      weightsRefusal(await dev.hyperparameters(netuid), await dev.metagraph(netuid), hotkey, w.uids);

    // No stake yet: nobody holds a permit.
    assert.match((await check(1, v!.address))!, /^NeuronNoValidatorPermit/);
    await assert.rejects(dev.setWeights(v!, { netuid: 1, ...w }), E.NoValidatorPermitError);
    // A lone self-weight needs no permit, on the chain and in the guard.
    assert.equal(weightsRefusal(await dev.hyperparameters(1), await dev.metagraph(1), v!.address, [0]), undefined);

    await dev.addStake(cold, v!.address, taoToRao(10));
    assert.equal(await check(1, v!.address), undefined);
    await dev.setWeights(v!, { netuid: 1, ...w });

    // commit-reveal subnet: the guard's checks are the reveal's; a direct set_weights is refused, a commit goes
    assert.equal(await check(cr, v!.address), undefined);
    await assert.rejects(dev.setWeights(v!, { netuid: cr, ...w }), E.CommitRevealEnabledError);
    const r = await setWeightsOrCommit(dev, v!, { netuid: cr, ...w });
    assert.ok(r.revealRound !== undefined && r.revealRound > 0);

    const stranger = k.addFromUri('//GuardStranger').address;
    assert.match((await check(1, stranger))!, /^HotKeyNotRegisteredInSubNet/);
  } finally {
    await dev.close();
  }
});
