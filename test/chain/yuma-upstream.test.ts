import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEpoch, type EpochInput } from '../../src/chain/yuma/epoch.js';
import { Rng } from '../../src/models/random.js';

// subtensor's own epoch tests, ported with their asserted values. Origin: pallets/subtensor/src/tests/epoch.rs
// at opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (docs/chain.md "Yuma consensus").

/** epoch.rs `distribute_nodes`: blockwise, regular interleaving, or a (here seeded) random permutation. */
function distributeNodes(validatorsN: number, networkN: number, interleave: number, rng: Rng): { validators: number[]; servers: number[] } {
  const all = Array.from({ length: networkN }, (_, i) => i);
  if (interleave === 0) return { validators: all.slice(0, validatorsN), servers: all.slice(validatorsN) };
  if (interleave === 1) {
    const step = Math.floor(networkN / validatorsN);
    return { validators: all.filter((i) => i % step === 0), servers: all.filter((i) => i % step !== 0) };
  }
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return { validators: all.slice(0, validatorsN), servers: all.slice(validatorsN) };
}

function epochInput(stake: bigint[], permits: boolean[], maxAllowedValidators: number, stakeThreshold: bigint, block: number): EpochInput {
  const n = stake.length;
  return {
    block, lastEpochBlock: block - 1, stake, lastUpdate: new Array<number>(n).fill(0), blockAtRegistration: new Array<number>(n).fill(0),
    validatorPermit: permits, weights: Array.from({ length: n }, () => []), bonds: Array.from({ length: n }, () => []),
    kappa: 32767, bondsMovingAvg: 900_000, bondsPenalty: 1, activityCutoff: 5000, maxAllowedValidators, stakeThreshold, emission: 1_000_000_000n,
  };
}

test('test_validator_permits: permits follow stake above StakeThreshold, then move to servers that out-stake validators', () => {
  const rng = new Rng(2168);
  let checked = 0;
  for (let interleave = 0; interleave < 3; interleave++) {
    for (const [networkN, validatorsN] of [[2, 1], [4, 2], [8, 4]] as const) {
      const minStake = BigInt(validatorsN);
      for (let assignment = 0; assignment <= 1; assignment++) {
        const { validators, servers } = distributeNodes(validatorsN, networkN, interleave, rng);
        const stake = new Array<bigint>(networkN).fill(0n);
        for (const v of validators) stake[v] = assignment === 1 ? BigInt(v + networkN) : 1n;
        for (const s of servers) stake[s] = assignment === 1 ? BigInt(s) : 0n;
        const what = `interleave ${interleave}, n ${networkN}, validators ${validatorsN}, assignment ${assignment}`;

        // First epoch issues permits.
        const first = runEpoch(epochInput(stake, new Array<boolean>(networkN).fill(false), validatorsN, minStake, 1));
        for (const v of validators) { assert.equal(first.validatorPermit[v], stake[v]! >= minStake, `${what}: validator ${v}`); checked++; }
        for (const s of servers) { assert.equal(first.validatorPermit[s], false, `${what}: server ${s}`); checked++; }

        // Servers stake 2n more; the next epoch moves the permits to them.
        const raised = stake.map((x, i) => (servers.includes(i) ? x + 2n * BigInt(networkN) : x));
        const second = runEpoch(epochInput(raised, first.validatorPermit, validatorsN, minStake, 2));
        for (const v of validators) { assert.equal(second.validatorPermit[v], false, `${what}: validator ${v} after`); checked++; }
        for (const s of servers) { assert.equal(second.validatorPermit[s], raised[s]! >= minStake, `${what}: server ${s} after`); checked++; }
      }
    }
  }
  assert.equal(checked, 168, 'the 168 permit assertions of the Rust test');
});

/** A subnet of n uids, stake per uid, weights as [[uid, u16]] rows, first epoch (no permits stored yet). */
function graph(stake: bigint[], weights: Array<Array<[number, number]>>, permits: boolean[]): EpochInput {
  const n = stake.length;
  return {
    block: 1, lastEpochBlock: -1, stake, lastUpdate: new Array<number>(n).fill(1), blockAtRegistration: new Array<number>(n).fill(0),
    validatorPermit: permits, weights, bonds: Array.from({ length: n }, () => []),
    kappa: 32767, bondsMovingAvg: 900_000, bondsPenalty: 1, activityCutoff: 5000, maxAllowedValidators: 64, emission: 1_000_000_000n,
  };
}

test('test_1_graph: one uid with a self-weight gets rank, trust, consensus, incentive, dividends 0', () => {
  const out = runEpoch(graph([1_000_000_000n], [[[0, 65535]]], [false]));
  for (const k of ['trust', 'consensus', 'incentive', 'dividends'] as const) assert.deepEqual(out[k], [0], k);
});

test('test_10_graph: ten self-weighting uids with stake 1 each get 0 everywhere and emission 99 999 999 (I32F32 share)', () => {
  const n = 10;
  const out = runEpoch(graph(new Array<bigint>(n).fill(1n), Array.from({ length: n }, (_, i) => [[i, 65535]] as Array<[number, number]>), new Array<boolean>(n).fill(false)));
  for (const k of ['trust', 'consensus', 'incentive', 'dividends'] as const) assert.deepEqual(out[k], new Array(n).fill(0), k);
  assert.deepEqual(out.serverEmission.map((s, i) => s + out.validatorEmission[i]!), new Array(n).fill(99_999_999n));
});
