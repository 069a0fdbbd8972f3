/**
 * The `Chain` contract (docs/chain.md "One Chain contract suite, two backends"): one sequence of calls and
 * checks written against the interface only, run by test/chain/contract.test.ts on the devnet and on the
 * subtensor adapter over a replayed JSON-RPC transcript (and by contract-transcript.gen.ts to record it).
 *
 * Starting state every backend provides: subnet `backend.netuid` exists with the owner's validator
 * (`contractAccounts().validator`, coldkey `cold`) registered at uid 0 and staked; `cold` has funds;
 * the miner hotkey is not registered; commit-reveal is off. On `backend.crNetuid` commit-reveal is on and the
 * validator is uid 0. The wall clock is `CONTRACT.nowMs` (the commit's reveal round depends on it).
 */
import assert from 'node:assert/strict';
import type { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { CommitRevealEnabledError, SubnetNotFoundError } from '../../src/chain/errors.js';
import { setWeightsOrCommit } from '../../src/chain/timelock/commit.js';
import type { Chain } from '../../src/chain/types.js';

/** `replayNetuid`: the subnet of the recorded subtensor transcript. */
export const CONTRACT = { replayNetuid: 3, replayCrNetuid: 4, nowMs: 1_780_000_000_000, missingNetuid: 77, stake: 2_000_000_000n, unstake: 500_000_000n, ip: '203.0.113.9', port: 8091 };

export function contractAccounts(keyring: Keyring): { cold: KeyringPair; validator: KeyringPair; miner: KeyringPair } {
  return { cold: keyring.addFromUri('//ContractOwner'), validator: keyring.addFromUri('//ContractOwner//validator'), miner: keyring.addFromUri('//ContractOwner//miner') };
}

export interface ContractBackend {
  /** The subnet the contract runs on. */
  netuid: number;
  /** A subnet with commit-reveal weights on, where the validator is registered at uid 0. */
  crNetuid: number;
  /** Let the chain move on by at least one block. */
  advance(): Promise<void>;
}

export async function runContract(chain: Chain, backend: ContractBackend, keyring: Keyring): Promise<void> {
  const { cold, validator, miner } = contractAccounts(keyring);
  const netuid = backend.netuid;
  // block number
  const b0 = await chain.currentBlock();
  assert.ok(Number.isSafeInteger(b0) && b0 >= 0);
  await backend.advance();
  assert.ok((await chain.currentBlock()) > b0, 'the block number moves on');
  // hyperparameters
  const hp = await chain.hyperparameters(netuid);
  assert.ok(hp.tempo > 0 && hp.maxAllowedUids > 0 && typeof hp.burn === 'bigint');
  assert.equal(hp.commitRevealWeightsEnabled, false);
  await assert.rejects(chain.hyperparameters(CONTRACT.missingNetuid), SubnetNotFoundError);
  // metagraph read
  const mg0 = await chain.metagraph(netuid);
  assert.equal(mg0.netuid, netuid);
  assert.equal(mg0.hotkeys[0], validator.address);
  assert.equal(mg0.coldkeys[0], cold.address);
  assert.ok(mg0.stake[0]! > 0n && mg0.validatorPermit[0] === true);
  assert.equal(mg0.stake.length, mg0.n);
  // register (burned)
  const reg = await chain.burnedRegister(netuid, cold, miner.address);
  assert.equal(reg.uid, mg0.n);
  assert.equal(await chain.uidOf(netuid, miner.address), reg.uid);
  const mg1 = await chain.metagraph(netuid);
  assert.equal(mg1.n, mg0.n + 1);
  assert.equal(mg1.hotkeys[reg.uid], miner.address);
  assert.equal(mg1.coldkeys[reg.uid], cold.address);
  // stake add / remove on the subnet (dynamic TAO: τ in, the subnet's α out — through the devnet's alpha pool too)
  await chain.addStake(cold, miner.address, CONTRACT.stake, netuid);
  const staked = (await chain.metagraph(netuid)).stake[reg.uid]!;
  assert.ok(staked > 0n, 'stake added');
  await chain.removeStake(cold, miner.address, CONTRACT.unstake, netuid);
  const left = (await chain.metagraph(netuid)).stake[reg.uid]!;
  assert.ok(left > 0n && left < staked, 'stake removed');
  // serve axon
  await chain.serveAxon(miner, { netuid, ip: CONTRACT.ip, port: CONTRACT.port, version: 1_000_000 });
  const axon = (await chain.metagraph(netuid)).axons[reg.uid]!;
  assert.deepEqual([axon.ip, axon.port, axon.ipType], [CONTRACT.ip, CONTRACT.port, 4]);
  // set weights (the validator weighs the miner), read back max-upscaled
  await chain.setWeights(validator, { netuid, uids: [reg.uid], weights: [1000], versionKey: hp.weightsVersion });
  assert.deepEqual(await chain.weights!(netuid, 0), [[reg.uid, 65535]]);
  // commit-reveal: set_weights is refused before it is sent; the weights are committed timelocked instead
  const crHp = await chain.hyperparameters(backend.crNetuid);
  assert.equal(crHp.commitRevealWeightsEnabled, true);
  const selfWeight = { netuid: backend.crNetuid, uids: [0], weights: [65535], versionKey: crHp.weightsVersion };
  await assert.rejects(chain.setWeights(validator, selfWeight), CommitRevealEnabledError);
  const committed = await setWeightsOrCommit(chain, validator, selfWeight, CONTRACT.nowMs);
  assert.ok(committed.revealRound !== undefined && committed.revealRound > 0 && committed.block > 0);
}
