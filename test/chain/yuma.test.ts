import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEpochDense } from '../../src/chain/yuma/epoch-dense.js';
import { runEpoch, type EpochInput } from '../../src/chain/yuma/epoch.js';
import { maxUpscaleToU16, vecMaxUpscaleToU16, isTopkNonzero } from '../../src/chain/yuma/math.js';
import { weightedMedianCol, type SpMat } from '../../src/chain/yuma/sparse.js';
import { exp, fromInt, ONE, toNumber, u16Proportion, div, mul } from '../../src/chain/yuma/fixed.js';

const TAO = 1_000_000_000n;
/** A proportion as the u16 the chain stores (floor of x·65535). */
const u16Of = (x: number) => Math.floor(x * 65535);

/** Close to within eps. */
function near(actual: number, expected: number, eps = 1e-6, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= eps, `${what}: ${actual} ≠ ${expected} (±${eps})`);
}

function nearVec(actual: number[], expected: number[], eps = 1e-6, what = ''): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  actual.forEach((a, i) => near(a, expected[i]!, eps, `${what}[${i}]`));
}

/** Sparse u16 row from proportions, max-upscaled the way set_weights stores it. */
function row(pairs: Array<[number, number]>): Array<[number, number]> {
  const up = maxUpscaleToU16(pairs.map(([, w]) => Math.round(w * 65535)));
  return pairs.map(([u], i) => [u, up[i]!]);
}

/** 2 validators (uids 0, 1) × 3 miners (uids 2, 3, 4); registered at block 0, weights set at block 5. */
function base(over: Partial<EpochInput> = {}): EpochInput {
  return {
    block: 10,
    lastEpochBlock: 0,
    stake: [60n * TAO, 40n * TAO, 0n, 0n, 0n],
    lastUpdate: [5, 5, 0, 0, 0],
    blockAtRegistration: [0, 0, 0, 0, 0],
    validatorPermit: [true, true, false, false, false],
    weights: [[], [], [], [], []],
    bonds: [[], [], [], [], []],
    kappa: 32767,
    bondsMovingAvg: 900_000,
    bondsPenalty: 1,
    activityCutoff: 5000,
    maxAllowedValidators: 64,
    emission: 1000n * TAO,
    ...over,
  };
}

test('weighted median: κ-majority of stake decides each column', () => {
  const kappa = u16Proportion(32767);
  const f = (x: number) => BigInt(Math.round(x * 2 ** 32));
  const sp = (rows: number[][]): SpMat => rows.map((r) => r.map((x, j) => [j, f(x)] as [number, bigint]));
  const median = (stake: number[], rows: number[][], cols: number) => weightedMedianCol(stake.map(f), sp(rows), cols, kappa).map(toNumber);
  // Column 0: 70% of stake says 0.6, 30% says 0 → 0.6. Column 1: 70% says 0.1, 30% says 1 → 0.1.
  nearVec(median([0.7, 0.3], [[0.6, 0.1], [0, 1]], 2), [0.6, 0.1], 1e-9);
  // Three validators with 0.2/0.3/0.5 of stake scoring 0.9/0.5/0.1: counted from the top, 0.9 has
  // 0.2 < κ of stake, scores ≥ 0.5 have 0.5 ≥ κ → 0.5.
  nearVec(median([0.2, 0.3, 0.5], [[0.9], [0.5], [0.1]], 1), [0.5], 1e-9);
  // Zero-stake rows are ignored entirely.
  nearVec(median([1, 0], [[0.3], [0.9]], 1), [0.3], 1e-9);
});

test('two honest validators × three miners: incentive = weights, dividends = stake share, 50/50 emission', () => {
  const w = row([[2, 0.5], [3, 0.3], [4, 0.2]]);
  const out = runEpoch(base({ weights: [w, w, [], [], []] }));
  // I32F32 throughout (2⁻³² ≈ 2.3e-10 per truncation), so floats agree to 1e-8.
  // Consensus equals the common weights; nothing is clipped; validator trust 1 for both.
  nearVec(out.float.consensus, [0, 0, 0.5, 0.3, 0.2], 1e-8, 'consensus');
  nearVec(out.float.validatorTrust, [1, 1, 0, 0, 0], 1e-8, 'vtrust');
  // I_j = Σ_i S_i W_ij = 0.6·w + 0.4·w = w.
  nearVec(out.float.incentive, [0, 0, 0.5, 0.3, 0.2], 1e-8, 'incentive');
  // First epoch: B = 0 so B' = col-normalise(0.1·ΔB) = ΔB = stake share per column.
  nearVec(out.float.bonds[0]!, [0, 0, 0.6, 0.6, 0.6], 1e-8, 'bonds row 0');
  nearVec(out.float.bonds[1]!, [0, 0, 0.4, 0.4, 0.4], 1e-8, 'bonds row 1');
  nearVec(out.float.dividends, [0.6, 0.4, 0, 0, 0], 1e-8, 'dividends');
  // u16 storage (floor of x·65535, like fixed_proportion_to_u16).
  [0.5, 0.3, 0.2].forEach((x, i) => assert.ok(Math.abs(out.incentive[i + 2]! - u16Of(x)) <= 1, `u16 incentive ${i}`));
  assert.ok(Math.abs(out.dividends[0]! - u16Of(0.6)) <= 1, `u16 dividends ${out.dividends[0]}`);
  assert.equal(u16Of(0.5), 32767);
  // Emission: (I + D)/2 of 1000 TAO → validators 300 / 200, miners 250 / 150 / 100, each share truncated
  // like subtensor's I32F32 (2⁻³² of the pool ≈ 233 rao here, per component, either way after the I32F32 divisions).
  const e = out.serverEmission.map((s, i) => s + out.validatorEmission[i]!);
  const expected = [300n, 200n, 250n, 150n, 100n].map((x) => x * TAO);
  const ulp = (1000n * TAO >> 32n) + 1n;
  e.forEach((x, i) => assert.ok(x - expected[i]! <= 2n * ulp && expected[i]! - x <= 2n * ulp, `emission[${i}] = ${x}, expected ${expected[i]}`));
  assert.deepEqual(out.validatorPermit, [true, true, false, false, false]);
});

test('dishonest validator: out-of-consensus weight is clipped to consensus', () => {
  // Honest V0 (70% stake) spreads 0.6/0.3/0.1; dishonest V1 (30%) puts everything on miner 4.
  const out = runEpoch(base({
    stake: [70n * TAO, 30n * TAO, 0n, 0n, 0n],
    weights: [row([[2, 0.6], [3, 0.3], [4, 0.1]]), row([[4, 1]]), [], [], []],
  }));
  // Hand computation: C = [0.6, 0.3, 0.1]; V1's weight on miner 4 clipped from 1 to 0.1.
  nearVec(out.float.consensus.slice(2), [0.6, 0.3, 0.1], 1e-4, 'consensus');
  nearVec(out.float.clipped[1]!, [0, 0, 0, 0, 0.1], 1e-4, 'V1 clipped row');
  nearVec(out.float.validatorTrust.slice(0, 2), [1, 0.1], 1e-4, 'validator trust');
  // Ranks: miner2 0.7·0.6 = 0.42, miner3 0.7·0.3 = 0.21, miner4 0.7·0.1 + 0.3·0.1 = 0.10; Σ = 0.73.
  nearVec(out.float.incentive.slice(2), [0.42 / 0.73, 0.21 / 0.73, 0.1 / 0.73], 1e-4, 'incentive');
  // Without clipping miner 4 would get 0.07 + 0.3 = 0.37 of rank: the dishonest boost is gone.
  // Bonds (β = 1, bonds follow clipped weights): miners 2, 3 fully bonded to V0; miner 4 split 0.7 / 0.3.
  nearVec(out.float.bonds[0]!.slice(2), [1, 1, 0.7], 1e-4, 'V0 bonds');
  nearVec(out.float.bonds[1]!.slice(2), [0, 0, 0.3], 1e-4, 'V1 bonds');
  // D0 ∝ (0.42 + 0.21 + 0.7·0.10)/0.73 = 0.70/0.73; D1 ∝ 0.3·0.10/0.73 = 0.03/0.73 → normalised 0.7/0.73, 0.03/0.73.
  nearVec(out.float.dividends.slice(0, 2), [0.7 / 0.73, 0.03 / 0.73], 1e-4, 'dividends');
  // The dishonest validator earns far less than its 30% stake share.
  assert.ok(out.validatorEmission[1]! * 10n < out.validatorEmission[0]!, `emission ${out.validatorEmission}`);
});

test('bonds: EMA with α = 0.1 over several epochs, through u16 storage', () => {
  // Epoch 1: only V0 has set weights → all bonds on V0. Epochs 2..5: both set the same weights.
  const w = row([[2, 0.5], [3, 0.3], [4, 0.2]]);
  let bonds: EpochInput['bonds'] = [[], [], [], [], []];
  const first = runEpoch(base({ weights: [w, [], [], [], []], bonds }));
  nearVec(first.float.dividends.slice(0, 2), [1, 0], 1e-9, 'epoch 1 dividends');
  bonds = first.bonds;
  for (let k = 1; k <= 4; k++) {
    const out = runEpoch(base({ block: 10 + 11 * k, lastEpochBlock: 10 + 11 * (k - 1), weights: [w, w, [], [], []], bonds }));
    // B1' = 0.1·0.4 + 0.9·B1 → B1 = 0.4·(1 − 0.9^k); same share in every column, so D1 = B1.
    const b1 = 0.4 * (1 - 0.9 ** k);
    nearVec(out.float.bonds[1]!.slice(2), [b1, b1, b1], 2e-4, `epoch ${k + 1} V1 bonds`);
    nearVec(out.float.dividends.slice(0, 2), [1 - b1, b1], 2e-4, `epoch ${k + 1} dividends`);
    bonds = out.bonds;
  }
});

test('inactive validators, non-permit rows, self-weights and outdated weights are ignored', () => {
  const w = row([[2, 0.5], [3, 0.5]]);
  // V1 is inactive (last update long ago): its stake does not count.
  const inactive = runEpoch(base({ block: 6000, lastUpdate: [5990, 1, 0, 0, 0], weights: [w, row([[4, 1]]), [], [], []] }));
  assert.deepEqual(inactive.active.slice(0, 2), [true, false]);
  nearVec(inactive.float.incentive.slice(2), [0.5, 0.5, 0], 1e-9, 'inactive V1 ignored');
  // Self-weight is dropped: V0 weighting itself and miner 2 only rewards miner 2.
  const self = runEpoch(base({ weights: [row([[0, 1], [2, 1]]), [], [], [], []] }));
  nearVec(self.float.incentive, [0, 0, 1, 0, 0], 1e-9, 'self weight');
  // Miner 3 re-registered (block 7) after V0 set weights (block 5): that weight is outdated.
  const out = runEpoch(base({ blockAtRegistration: [0, 0, 0, 7, 0], weights: [w, [], [], [], []] }));
  nearVec(out.float.incentive.slice(2), [1, 0, 0], 1e-9, 'outdated');
  // A row from a uid without a permit counts for nothing.
  const noPermit = runEpoch(base({ validatorPermit: [true, false, false, false, false], weights: [w, row([[4, 1]]), [], [], []] }));
  nearVec(noPermit.float.incentive.slice(2), [0.5, 0.5, 0], 1e-9, 'no permit');
  // No weights at all: emission goes to validators by stake.
  const none = runEpoch(base());
  assert.deepEqual(none.serverEmission, [0n, 0n, 0n, 0n, 0n]);
  assert.equal(none.validatorEmission[0]! + none.validatorEmission[1]! <= 1000n * TAO, true);
  assert.ok(none.validatorEmission[0]! > 599n * TAO && none.validatorEmission[1]! > 399n * TAO, `emission ${none.validatorEmission}`);
});

test('validator permits are the top-k uids by stake', () => {
  const out = runEpoch(base({ stake: [5n, 50n, 0n, 7n, 1n], maxAllowedValidators: 2 }));
  assert.deepEqual(out.validatorPermit, [false, true, false, true, false]);
});

test("top-k permits as subtensor's is_topk_nonzero: its test_math_is_topk vectors, ties keep the higher uids", () => {
  // Vectors and targets of test_math_is_topk, pallets/subtensor/src/tests/math.rs at opentensor/subtensor
  // 14bc6f9f964b9cc362e9635dd110a487fa5d15a0 (is_topk_nonzero differs only in leaving zero entries out).
  const up = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  assert.deepEqual(isTopkNonzero([], 5), []);
  assert.deepEqual(isTopkNonzero(up, 0), new Array(10).fill(false));
  assert.deepEqual(isTopkNonzero(up, 5), [false, false, false, false, false, true, true, true, true, true]);
  assert.deepEqual(isTopkNonzero(up, 10), [false, true, true, true, true, true, true, true, true, true]);
  assert.deepEqual(isTopkNonzero(up, 100), [false, true, true, true, true, true, true, true, true, true]);
  assert.deepEqual(isTopkNonzero([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], 5), [true, true, true, true, true, false, false, false, false, false]);
  assert.deepEqual(isTopkNonzero([9, 0, 8, 1, 7, 2, 6, 3, 5, 4], 5), [true, false, true, false, true, false, true, false, true, false]);
  assert.deepEqual(isTopkNonzero([0.9, 0, 0.8, 0.1, 0.7, 0.2, 0.6, 0.3, 0.5, 0.4], 5), [true, false, true, false, true, false, true, false, true, false]);
  assert.deepEqual(isTopkNonzero([0, 1, 2, 3, 4, 5, 5, 5, 5, 6], 5), [false, false, false, false, false, true, true, true, true, true]);
  // Ties: the ascending stable sort drops the lowest indices first.
  assert.deepEqual(isTopkNonzero([1, 1, 1], 2), [false, true, true]);
  assert.deepEqual(isTopkNonzero([3, 2, 2, 2], 2), [true, false, false, true]);
});

test('stake threshold: stake below it counts as zero (no permit, no consensus weight), default 0', () => {
  const three = { stake: [5n * TAO, 50n * TAO, 7n * TAO], lastUpdate: [5, 5, 5], blockAtRegistration: [0, 0, 0], validatorPermit: [true, true, true], weights: [[], [], []], bonds: [[], [], []], maxAllowedValidators: 8 };
  assert.deepEqual(runEpoch(base(three)).validatorPermit, [true, true, true]);
  const cut = runEpoch(base({ ...three, stakeThreshold: 6n * TAO }));
  assert.deepEqual(cut.validatorPermit, [false, true, true]);
  near(cut.activeStake[0]!, 0, 0, 'stake below the threshold');
  near(cut.activeStake[1]!, 50 / 57, 1e-9, 'the rest renormalised');
  assert.deepEqual(runEpoch(base({ ...three, stakeThreshold: 7n * TAO })).validatorPermit, [false, true, true], 'equal to the threshold passes');
});

test("reproduces subtensor's own test_bonds exactly: the stored u16 bonds of all 7 asserted epochs, and the rao emissions of its trace", () => {
  // Origin: opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0, pallets/subtensor/src/tests/epoch.rs, test_bonds.
  // 4 validators with stake 1, 2, 3, 4 weight 4 servers 0.1/0.2/0.3/0.4 (u16 16383/32767/49149/65535), tempo 1
  // (LastMechansimStepBlock stays 0, so the bond cut-off is block − 1), every uid holds a permit, κ = 32767,
  // bonds moving average 0.9, bonds penalty u16::MAX, 10⁹ rao per epoch. Weights set at block b − 1 count at epoch b.
  const w: Array<[number, number]> = [[4, 16383], [5, 32767], [6, 49149], [7, 65535]];
  const self = (i: number): Array<[number, number]> => [[i, 65535]];
  const input = (block: number, weights: EpochInput['weights'], lastUpdate: number[], bonds: EpochInput['bonds']): EpochInput => ({
    block, lastEpochBlock: 0, tempo: 1, stake: [1n, 2n, 3n, 4n, 0n, 0n, 0n, 0n], lastUpdate, blockAtRegistration: new Array(8).fill(0),
    validatorPermit: new Array(8).fill(true), weights, bonds, kappa: 32767, bondsMovingAvg: 900_000, bondsPenalty: 1,
    activityCutoff: 5000, maxAllowedValidators: 8, emission: 1_000_000_000n,
  });
  const none: Array<[number, number]> = [];
  const steps: Array<{ block: number; weights: EpochInput['weights']; lastUpdate: number[]; col: number; bonds: number[]; emission: bigint[] }> = [
    { block: 1, weights: [w, w, w, w, none, none, none, none], lastUpdate: [1, 1, 1, 1, 0, 0, 0, 0], col: 4, bonds: [16383, 32767, 49151, 65535],
      emission: [49999998n, 99999999n, 150000000n, 200000001n, 49998779n, 100000610n, 149996337n, 200004272n] },
    // Validator 0 switches to a self-weight only (dropped) → its bond decays.
    { block: 2, weights: [self(0), w, w, w, none, none, none, none], lastUpdate: [1, 1, 1, 1, 0, 0, 0, 0], col: 4, bonds: [14582, 32767, 49151, 65535],
      emission: [44998351n, 101110561n, 151667215n, 202223870n, 49998779n, 100000610n, 149996337n, 200004272n] },
    // Validator 1 too.
    { block: 3, weights: [self(0), self(1), w, w, none, none, none, none], lastUpdate: [1, 2, 1, 1, 0, 0, 0, 0], col: 4, bonds: [12603, 28321, 49151, 65535],
      emission: [40496805n, 90999783n, 157929636n, 210573773n, 49998779n, 100000610n, 149996337n, 200004272n] },
    // Validator 2 too: a single validator is no κ-majority, consensus 0, emission by stake.
    { block: 4, weights: [self(0), self(1), self(2), w, none, none, none, none], lastUpdate: [1, 2, 3, 1, 0, 0, 0, 0], col: 7, bonds: [12602, 28320, 49150, 65535],
      emission: [99999999n, 199999999n, 299999999n, 399999999n, 0n, 0n, 0n, 0n] },
    // Validator 2 puts everything on server 7.
    { block: 5, weights: [self(0), self(1), [[7, 65535]], w, none, none, none, none], lastUpdate: [1, 2, 4, 1, 0, 0, 0, 0], col: 7, bonds: [10951, 24609, 49150, 65535],
      emission: [36443733n, 81898628n, 163565493n, 218092144n, 0n, 0n, 0n, 500000000n] },
    { block: 6, weights: [self(0), self(1), [[7, 65535]], w, none, none, none, none], lastUpdate: [1, 2, 4, 1, 0, 0, 0, 0], col: 7, bonds: [9559, 21482, 49150, 65535],
      emission: [32799427n, 73706612n, 168638129n, 224855830n, 0n, 0n, 0n, 500000000n] },
    { block: 7, weights: [self(0), self(1), [[7, 65535]], w, none, none, none, none], lastUpdate: [1, 2, 4, 1, 0, 0, 0, 0], col: 7, bonds: [8376, 18824, 49150, 65535],
      emission: [29518068n, 66336137n, 173203134n, 230942659n, 0n, 0n, 0n, 500000000n] },
  ];
  // The Rust test runs `epoch` (sparse: true); its `epoch_dense` branch must give the same values.
  for (const [name, epoch] of [['sparse', runEpoch], ['dense', runEpochDense]] as const) {
    let bonds: EpochInput['bonds'] = new Array(8).fill([]);
    for (const st of steps) {
      const out = epoch(input(st.block, st.weights, st.lastUpdate, bonds));
      assert.deepEqual(out.bonds.slice(0, 4).map((r) => r.find(([j]) => j === st.col)?.[1] ?? 0), st.bonds, `${name}, block ${st.block}: bonds on ${st.col}`);
      assert.deepEqual(out.serverEmission.map((s, i) => s + out.validatorEmission[i]!), st.emission, `${name}, block ${st.block}: emission (the test's trace)`);
      bonds = out.bonds;
    }
  }
});

test("set_weights max-upscale as subtensor's vec_max_upscale_to_u16 / vec_u16_max_upscale_to_u16 (their test vectors)", () => {
  // Origin: opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0, pallets/subtensor/src/tests/math.rs,
  // test_vec_max_upscale_to_u16 and test_vec_u16_max_upscale_to_u16 (from_num of an f64 rounds to nearest).
  const f = (x: number) => BigInt(Math.round(x * 2 ** 32));
  const cases: Array<[number[], number[]]> = [
    [[], []], [[0], [0]], [[0, 0], [0, 0]], [[0, 1], [0, 65535]], [[0, 0.000000001], [0, 65535]], [[0, 0.000016, 1], [0, 1, 65535]],
    [[0.000000001, 0.000000001], [65535, 65535]],
    [[0.000001, 0.000006, 0.000007, 0.0001, 0.001, 0.01, 0.1, 0.2, 0.3, 0.4], [0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535]],
    [[16384], [65535]], [[32768], [65535]], [[32769], [65535]], [[65535], [65535]], [[0, 1, 65535], [0, 1, 65535]],
    [[0, 0.5, 1, 1.5, 2, 32768], [0, 1, 2, 3, 4, 65535]], [[0, 0.5, 1, 1.5, 2, 32768, 32769], [0, 1, 2, 3, 4, 65533, 65535]],
  ];
  for (const [input, target] of cases) assert.deepEqual(vecMaxUpscaleToU16(input.map(f)), target, `[${input}]`);
  assert.deepEqual(vecMaxUpscaleToU16([0n, fromInt(1), fromInt(32768), fromInt(32769), (1n << 63n) - 1n]), [0, 0, 1, 1, 65535]);
  const u16: Array<[number[], number[]]> = [
    [[], []], [[0], [0]], [[0, 0], [0, 0]], [[1], [65535]], [[0, 1], [0, 65535]], [[65534], [65535]], [[65535], [65535]],
    [[65535, 65535], [65535, 65535]], [[0, 1, 65534], [0, 1, 65535]], [[0, 1, 2, 3, 4, 65533, 65535], [0, 1, 2, 3, 4, 65533, 65535]],
  ];
  for (const [input, target] of u16) assert.deepEqual(maxUpscaleToU16(input), target, `u16 [${input}]`);
});

test('I32F32 rounds like substrate-fixed: mul floors (also below zero), div truncates toward zero, exp is its Taylor series', () => {
  const half = ONE / 2n;
  assert.equal(mul(-1n, half), -1n, 'mul: −2⁻³² · ½ floors to −2⁻³²');
  assert.equal(mul(1n, half), 0n);
  assert.equal(div(-ONE, fromInt(3)), -(ONE / 3n), 'div truncates toward zero');
  assert.equal(div(ONE, 0n), 0n, 'safe_div by zero is 0');
  assert.equal(u16Proportion(32767), 2147450879n, 'κ = 32767/65535 truncated');
  assert.equal(exp(ONE), 22_802_600n << 9n, 'exp(1) is the I9F23 constant E');
  assert.equal(exp(0n), ONE);
  near(toNumber(exp(fromInt(2))!), Math.E ** 2, 1e-8, 'exp(2)');
  near(toNumber(exp(fromInt(-3))!), Math.E ** -3, 1e-8, 'exp(−3) = 1/exp(3)');
  // 32 terms fall short of e^20 (4.85e8) by 0.8 %, on chain too: Σ_{i<32} 20^i/i! ≈ 4.81e8.
  let taylor = 0;
  for (let i = 0, t = 1; i < 32; i++, t *= 20 / i) taylor += t;
  near(toNumber(exp(fromInt(20))!), taylor, 2, 'exp(20)');
});
