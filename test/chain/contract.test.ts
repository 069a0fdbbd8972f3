/**
 * One `Chain` contract suite, two backends (issue #18 item 5; docs/chain.md "One Chain contract suite,
 * two backends"): test/chain/contract-suite.ts runs unchanged on the devnet and on the subtensor adapter
 * (`SubtensorChain`) whose JSON-RPC is replayed from test/fixtures/subtensor/contract-transcript.json —
 * answers SCALE-encoded with the real finney metadata V15 (no live node; see that README for how the
 * transcript was made and what it proves).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { SubtensorChain } from '../../src/chain/subtensor/subtensor.js';
import { SUBTENSOR_SIGNED_EXTENSIONS } from '../../src/chain/subtensor/config.js';
import { taoToRao } from '../../src/chain/types.js';
import { deserializeTlock } from '../../src/chain/timelock/tlock.js';
import { metadataSubstitutions, readSubtensorFixture } from './contract-fixtures.js';
import { CONTRACT, CONTRACT_YUMA, contractAccounts, runContract } from './contract-suite.js';
import { ReplayProvider, type Transcript } from './replay-provider.js';

await cryptoWaitReady();
const keyring = (): Keyring => new Keyring({ type: 'sr25519', ss58Format: 42 });

test('Chain contract: devnet', async () => {
  const dev = await Devnet.open({ hyperparameters: { weightsRateLimit: 0 }, now: () => CONTRACT.nowMs });
  try {
    const { cold, validator } = contractAccounts(keyring());
    await dev.faucet(cold.address, taoToRao(100));
    const netuid = await dev.createSubnet(cold.address, CONTRACT_YUMA, { tao: taoToRao(100), alpha: taoToRao(100) });
    await dev.burnedRegister(netuid, cold, validator.address);
    await dev.addStake(cold, validator.address, taoToRao(10), netuid);
    const crNetuid = await dev.createSubnet(cold.address, { commitRevealWeightsEnabled: true });
    await dev.burnedRegister(crNetuid, cold, validator.address);
    await runContract(dev, { netuid, crNetuid, advance: async () => { dev.produceBlock(); } }, keyring());
  } finally {
    await dev.close();
  }
});

/** The recorded transcript behind a ReplayProvider; extrinsics matched by their call data. */
function replay(): ReplayProvider {
  const meta = readSubtensorFixture('metadata-v15.scale.gz', true);
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, meta), undefined, SUBTENSOR_SIGNED_EXTENSIONS, true);
  const transcript = JSON.parse(readSubtensorFixture('contract-transcript.json').toString('utf8')) as Transcript;
  // a timelocked commit's ciphertext is random: it must parse as a TLECiphertext, and is matched by its length
  const callOf = (xt: string): string => {
    const call = registry.createType('Extrinsic', xt).method;
    if (`${call.section}.${call.method}` !== 'subtensorModule.commitTimelockedMechanismWeights') return call.toHex();
    const [netuid, mecid, commit, round, version] = call.args.map((a) => a.toU8a(true));
    deserializeTlock(commit!);
    return [u8aToHex(call.callIndex), u8aToHex(netuid), u8aToHex(mecid), `tlock(${commit!.length} bytes)`, u8aToHex(round), u8aToHex(version)].join(' ');
  };
  return new ReplayProvider(transcript, callOf, metadataSubstitutions(meta));
}

test('Chain contract: subtensor adapter over the replayed finney-metadata transcript', async () => {
  const provider = replay();
  const chain = await SubtensorChain.fromProvider(provider, { stakeNetuid: CONTRACT.replayNetuid });
  try {
    await runContract(chain, { netuid: CONTRACT.replayNetuid, crNetuid: CONTRACT.replayCrNetuid, advance: async () => undefined }, keyring());
    // the adapter asked for exactly what was recorded: nothing left over
    assert.deepEqual(provider.unused().map((e) => e.method), []);
  } finally {
    await chain.close();
  }
});

test('the replay can fail: staking on another subnet is a call the transcript does not hold', async () => {
  const chain = await SubtensorChain.fromProvider(replay(), { stakeNetuid: CONTRACT.replayNetuid });
  try {
    const { cold, miner } = contractAccounts(keyring());
    await assert.rejects(chain.addStake(cold, miner.address, CONTRACT.stake, CONTRACT.replayNetuid + 2), /no \(further\) answer to author_submitAndWatchExtrinsic/);
  } finally {
    await chain.close();
  }
});
