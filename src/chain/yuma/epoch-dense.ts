/**
 * subtensor's dense epoch, `epoch_dense` / `epoch_dense_mechanism` (run_epoch.rs at opentensor/subtensor
 * 14bc6f9f964b9cc362e9635dd110a487fa5d15a0), ported apart from the sparse `runEpoch` (./epoch.ts) that the chain and
 * the devnet run: the same input and output, n×n matrices with explicit zeros, the chain's dense math (./dense.ts).
 * subtensor keeps it for its tests (test_512_graph_random_weights asserts dense = sparse). Where the chain's dense epoch
 * differs, this port follows it (docs/chain.md "Yuma consensus"): no owner exemptions (its owner self-weight exception is
 * masked again right after), no commit-reveal column mask, and the bond row of a uid that neither had nor gets a
 * permit is left as stored.
 */
import * as fx from './fixed.js';
import type { Fx } from './fixed.js';
import { liquidAlphas } from './liquid-alpha.js';
import { normalize, vecDiv, vecMul, type SpMat } from './sparse.js';
import {
  colClip, colScale, fromRows, interpolate, maskCells, matEma, matEmaAlpha, matmul, matmulTranspose, matVecMul, rowHadamard,
  rowNormalize, rowSum, weightedMedianCol, type Mat,
} from './dense.js';
import { bondsPenaltyOf, epochEmission, epochOutput, epochStake, recentlyRegistered, toFloat, type EpochInput, type EpochOutput } from './epoch.js';

const asRows = (m: Mat): SpMat => m.map((row) => row.map((x, j) => [j, x] as [number, Fx]));
const floats = (m: Mat): number[][] => m.map(toFloat);

/** Run one dense epoch (`epoch_dense`). */
export function runEpochDense(inp: EpochInput): EpochOutput {
  const { n, active, stake, permits, newPermits, activeStake } = epochStake(inp, undefined);

  // Weights: non-permit rows, the diagonal and outdated weights (set at or before the target's registration) zeroed.
  const W = rowNormalize(maskCells(fromRows(inp.weights, n, fx.fromInt), (i, j) =>
    !permits[i] || i === j || inp.lastUpdate[i]! <= inp.blockAtRegistration[j]!));

  const consensus = weightedMedianCol(activeStake, W, fx.u16Proportion(inp.kappa));
  const clipped = colClip(W, consensus);
  const validatorTrust = rowSum(clipped);
  const ranks = matmul(clipped, activeStake);
  const trust = vecDiv(ranks, matmul(W, activeStake));
  const incentive = normalize(ranks);

  const Wb = interpolate(W, clipped, bondsPenaltyOf(inp));
  const fresh = recentlyRegistered(inp);
  let ema: Mat;
  let stored: Mat;
  let dividends: Fx[];
  if (inp.yuma3) {
    const B = maskCells(fromRows(inp.bonds, n, (x) => fx.div(fx.fromInt(x), fx.fromInt(65535))), (_, j) => fresh(j));
    ema = inp.liquidAlpha && consensus.some((c) => c !== 0n)
      ? matEmaAlpha(Wb, B, liquidAlphas(asRows(Wb), asRows(B), consensus, inp.liquidAlpha))
      : matEma(Wb, B, fx.emaAlpha(inp.bondsMovingAvg));
    dividends = normalize(vecMul(rowSum(matVecMul(colScale(ema, false), incentive)), activeStake));
    stored = ema;
  } else {
    const B = colScale(maskCells(fromRows(inp.bonds, n, fx.fromInt), (_, j) => fresh(j)), false);
    const delta = colScale(rowHadamard(Wb, activeStake), false);
    ema = colScale(matEma(delta, B, fx.emaAlpha(inp.bondsMovingAvg)), false);
    dividends = normalize(matmulTranspose(ema, incentive));
    stored = colScale(ema, true);
  }

  const { serverEmission, validatorEmission } = epochEmission(inp, incentive, dividends, stake, activeStake);
  // Bonds rows: every column for a new permit (zeros included on chain; read back the same, so left out here),
  // cleared for a lost permit, untouched otherwise.
  const bonds = stored.map((row, i): Array<[number, number]> => {
    if (newPermits[i]) return row.map((b, j) => [j, fx.proportionToU16(b)] as [number, number]).filter(([, v]) => v > 0);
    return permits[i] ? [] : (inp.bonds[i] ?? []).filter(([j]) => j < n);
  });

  return epochOutput({
    active, newPermits, activeStake, consensus, incentive, dividends, validatorTrust, trust, bonds, serverEmission, validatorEmission,
    weights: floats(W), clipped: floats(clipped), ema: floats(ema),
  });
}
