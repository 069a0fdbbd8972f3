/**
 * subtensor's epoch.rs graph helpers (opentensor/subtensor 14bc6f9f964b9cc362e9635dd110a487fa5d15a0,
 * pallets/subtensor/src/tests/epoch.rs `distribute_nodes`, `normalize_weights`, `init_run_epochs`), shared by
 * test/chain/yuma-upstream.test.ts and bench/chain.ts. The random graphs use our seeded Rng in place of Rust's StdRng:
 * what test_512_graph_random_weights asserts (the dense epoch equals the sparse one) holds for any weights.
 */
import { runEpoch, type EpochInput, type EpochOutput } from '../../src/chain/yuma/epoch.js';
import { maxUpscaleToU16 } from '../../src/chain/yuma/math.js';
import { Rng } from '../../src/models/random.js';

/** epoch.rs `distribute_nodes`: blockwise, regular interleaving, or a (here seeded) random permutation. */
export function distributeNodes(validatorsN: number, networkN: number, interleave: number, rng: Rng): { validators: number[]; servers: number[] } {
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

/** epoch.rs `normalize_weights`: w·u16::MAX/Σw, truncated. */
export function normalizeWeights(w: number[]): number[] {
  const total = w.reduce((a, x) => a + BigInt(x), 0n);
  return total === 0n ? w : w.map((x) => Number((BigInt(x) * 65535n) / total));
}

/**
 * `init_run_epochs` with random weights (stake 1 rao per validator, uids registered at block 0): a first epoch issues the
 * permits, then at block 1 each validator sets random weights on every server (stored max-upscaled, as set_weights
 * stores them), servers optionally a self-weight, and `epochs` epochs run at block 1 with the given epoch function.
 */
export function randomWeightsGraph(opts: {
  networkN: number; validatorsN: number; interleave: number; serverSelf: boolean; bondsPenalty: number; epochs: number;
  epoch: (inp: EpochInput) => EpochOutput;
}): { validators: number[]; servers: number[]; out: EpochOutput } {
  const { networkN, validatorsN } = opts;
  const { validators, servers } = distributeNodes(validatorsN, networkN, opts.interleave, new Rng(1000 + opts.interleave));
  const isValidator = new Set(validators);
  const base: EpochInput = {
    block: 1, lastEpochBlock: 0, tempo: 65534, stake: Array.from({ length: networkN }, (_, i) => (isValidator.has(i) ? 1n : 0n)),
    lastUpdate: new Array<number>(networkN).fill(0), blockAtRegistration: new Array<number>(networkN).fill(0),
    validatorPermit: new Array<boolean>(networkN).fill(false), weights: Array.from({ length: networkN }, () => []),
    bonds: Array.from({ length: networkN }, () => []), kappa: 32767, bondsMovingAvg: 900_000, bondsPenalty: opts.bondsPenalty / 65535,
    activityCutoff: 5000, maxAllowedValidators: validatorsN, emission: 1_000_000_000n,
  };
  const first = runEpoch({ ...base, block: 0 });
  const rng = new Rng(opts.interleave); // random_seed = interleave, as the Rust test passes it
  const weights = Array.from({ length: networkN }, (_, i): Array<[number, number]> => {
    if (isValidator.has(i)) {
      const w = maxUpscaleToU16(normalizeWeights(servers.map(() => Math.floor(rng.next() * 65535))));
      return servers.map((s, k) => [s, w[k]!] as [number, number]).filter(([, x]) => x > 0).sort((a, b) => a[0] - b[0]);
    }
    return opts.serverSelf ? [[i, 65535]] : [];
  });
  let out = first;
  for (let e = 0; e < opts.epochs; e++) {
    out = opts.epoch({ ...base, weights, validatorPermit: out.validatorPermit, bonds: out.bonds, lastUpdate: new Array<number>(networkN).fill(1) });
  }
  return { validators, servers, out };
}
