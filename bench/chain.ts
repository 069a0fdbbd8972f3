/**
 * Devnet chain benchmark: cost of one Yuma epoch (pure function) and of one devnet block that runs an
 * epoch (SQLite reads/writes included), for subnet sizes up to subtensor's 256 uids / 64 validators.
 * Baseline: the 16-uid case in the same run; the ratio column is median / baseline median. 5 warm-up
 * epochs precede the timed ones.
 *   npm run bench:chain
 * With `--random-weights`: subtensor's full test_512_graph_random_weights (512 uids, 64 validators, 18 configurations,
 * test/chain/yuma-graph.ts) on the dense and the sparse epoch, checked equal, medians and the dense/sparse ratio.
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { runEpoch, type EpochInput } from '../src/chain/yuma/epoch.js';
import { Devnet } from '../src/chain/devnet/devnet.js';
import { taoToRao } from '../src/chain/types.js';
import { runEpochDense } from '../src/chain/yuma/epoch-dense.js';
import { randomWeightsGraph } from '../test/chain/yuma-graph.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function epochInput(n: number, validators: number): EpochInput {
  const weights = Array.from({ length: n }, (_, i) =>
    i < validators ? Array.from({ length: n - validators }, (_, j) => [validators + j, 1 + ((i * 7919 + j * 104729) % 65535)] as [number, number]) : []);
  return {
    block: 1000, lastEpochBlock: 639, stake: Array.from({ length: n }, (_, i) => (i < validators ? BigInt(1000 + i) * 1_000_000_000n : 0n)),
    lastUpdate: new Array(n).fill(900), blockAtRegistration: new Array(n).fill(0), validatorPermit: Array.from({ length: n }, (_, i) => i < validators),
    weights, bonds: weights, kappa: 32767, bondsMovingAvg: 900_000, bondsPenalty: 1, activityCutoff: 5000, maxAllowedValidators: 64, emission: 295_200_000_000n,
  };
}

async function devnetEpochMs(n: number, validators: number, reps: number): Promise<number[]> {
  await cryptoWaitReady();
  const kr = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const cold = kr.addFromUri('//Bench');
  const dev = await Devnet.open({ hyperparameters: { tempo: 10, maxAllowedUids: n, maxRegistrationsPerBlock: 0, weightsRateLimit: 0 } });
  await dev.faucet(cold.address, taoToRao(1_000_000));
  const hot = Array.from({ length: n }, (_, i) => kr.addFromUri(`//Bench//${i}`));
  for (const h of hot) await dev.burnedRegister(1, cold, h.address);
  for (let i = 0; i < validators; i++) await dev.addStake(cold, hot[i]!.address, taoToRao(100 + i));
  dev.produceBlock();
  const uids = Array.from({ length: n - validators }, (_, j) => validators + j);
  for (let i = 0; i < validators; i++) await dev.setWeights(hot[i]!, { netuid: 1, uids, weights: uids.map((u) => 1 + ((u * 31 + i) % 1000)), versionKey: 0 });
  const times: number[] = [];
  while (times.length < reps) {
    dev.produceBlocks(dev.nextEpochBlock(1)! - dev.block - 1);
    const t = performance.now();
    dev.produceBlock();
    times.push(performance.now() - t);
  }
  await dev.close();
  return times;
}

const cases: Array<[number, number]> = [[16, 4], [64, 16], [256, 64]];
const rows: string[][] = [];
let base = { yuma: 0, block: 0 };
for (const [n, v] of cases) {
  const inp = epochInput(n, v);
  for (let r = 0; r < 5; r++) runEpoch(inp); // warm-up (JIT)
  const yt: number[] = [];
  for (let r = 0; r < 21; r++) { const t = performance.now(); runEpoch(inp); yt.push(performance.now() - t); }
  const bt = await devnetEpochMs(n, v, 7);
  const y = median(yt);
  const b = median(bt);
  if (n === 16) base = { yuma: y, block: b };
  rows.push([`${n} uids / ${v} validators`, y.toFixed(2), (y / base.yuma).toFixed(1), b.toFixed(2), (b / base.block).toFixed(1)]);
}
const head = ['case', 'yuma epoch ms (median of 21)', 'ratio', 'devnet epoch block ms (median of 7)', 'ratio'];
const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
for (const r of [head, ...rows]) console.log(r.map((c, j) => (j ? c.padStart(w[j]!) : c.padEnd(w[j]!))).join('  '));

if (process.argv.includes('--random-weights')) {
  const timed = (epoch: typeof runEpoch) => {
    const ms: number[] = [];
    const f = (inp: EpochInput) => { const t = performance.now(); const o = epoch(inp); ms.push(performance.now() - t); return o; };
    return { f, ms };
  };
  const sparse = timed(runEpoch);
  const dense = timed(runEpochDense);
  let n = 0;
  for (let interleave = 0; interleave < 3; interleave++) {
    for (const serverSelf of [false, true]) {
      for (const bondsPenalty of [0, 32767, 65535]) {
        const opts = { networkN: 512, validatorsN: 64, interleave, serverSelf, bondsPenalty, epochs: 1 };
        const a = randomWeightsGraph({ ...opts, epoch: sparse.f }).out;
        const b = randomWeightsGraph({ ...opts, epoch: dense.f }).out;
        for (const k of ['validatorPermit', 'consensus', 'incentive', 'dividends', 'serverEmission', 'validatorEmission', 'bonds'] as const) {
          if (JSON.stringify(a[k], (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) !== JSON.stringify(b[k], (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))) {
            throw new Error(`test_512_graph_random_weights: dense ≠ sparse (${k}) at interleave ${interleave}, server self ${serverSelf}, penalty ${bondsPenalty}`);
          }
        }
        n++;
      }
    }
  }
  const [ms, md] = [median(sparse.ms), median(dense.ms)];
  console.log(`\ntest_512_graph_random_weights: ${n} configurations, dense = sparse in all`);
  console.log(`512 uids / 64 validators, one epoch: sparse ${ms.toFixed(1)} ms, dense ${md.toFixed(1)} ms (medians of ${sparse.ms.length}), dense/sparse ${(md / ms).toFixed(2)}`);
}
