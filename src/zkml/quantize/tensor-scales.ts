import type { GraphIR, IRNode } from '../ir/graph.js';

/**
 * Per-tensor scales chosen from calibration data (docs/zkml-compile.md "Per-tensor scales"): a graph input or a Relu
 * output whose every use is a constant-linear op (Gemm, MatMul by a constant, Conv, …, possibly through shape-only
 * ops) gets its own fractional bits, so that its calibrated range fills the same number of significant bits a value
 * in [−1, 1] has at the working scale s. The constant weights it meets take the difference (s − its scale) as extra
 * (or fewer) fractional bits, so the accumulator lands at the scale it has at s and stays exact until its one
 * rescale: a wide tensor (|x| ≤ 1e4) is read coarser and its weights finer; a narrow one (|x| ≤ 0.01) the other way.
 * Both error terms of Σ w·x (|x|·δw and |w|·δx) then stay balanced, and a wide input needs fewer range-check bits.
 */

/** At most this many bits finer than the working scale (the weights give them up). */
export const MAX_FINER = 8;

/** Ops whose one model-dependent input is multiplied by constant weights in Lowerer.affine. */
const AFFINE = new Set(['Gemm', 'MatMul', 'Conv', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'ReduceSum', 'ReduceMean']);
/** Single-input shape-only ops that keep a tensor's scale (and its own-scale mark). */
const MOVES = new Set(['Identity', 'Dropout', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose']);

/**
 * The scale a tensor whose calibrated values satisfy |x| ≤ maxAbs gets: s + 1 − ⌈log2(2·maxAbs)⌉ (2× headroom, as the
 * input range checks take), within [0, min(s + MAX_FINER, hi)] (metadata scales are ≥ 0; `hi`: the finest the
 * producer can give without an extra rescale).
 */
export function calibratedScale(maxAbs: number, s: number, hi = Infinity): number {
  const e = maxAbs > 0 ? Math.ceil(Math.log2(2 * maxAbs)) : -MAX_FINER;
  return Math.max(0, Math.min(s + 1 - e, s + MAX_FINER, hi));
}

/** Which node reads which tensor. */
export type Consumers = ReadonlyMap<string, readonly IRNode[]>;

/**
 * True when tensor `t` is no graph output and every use of it is, through single-input shape-only ops, the one
 * model-dependent input of a constant-linear op (so the weights can absorb its own scale).
 */
export function onlyLinearUses(graph: GraphIR, consumers: Consumers, t: string, depth = 0): boolean {
  if (depth > 32 || graph.outputs.some((o) => o.name === t)) return false;
  const uses = consumers.get(t) ?? [];
  if (uses.length === 0) return false;
  return uses.every((c) => {
    const others = c.inputs.filter((i) => i !== '' && i !== t);
    if (c.inputs.filter((i) => i === t).length !== 1 || !others.every((i) => graph.constants.has(i))) return false;
    if (AFFINE.has(c.op)) return !(c.op === 'Gemm' && c.inputs[2] === t);
    return MOVES.has(c.op) && c.outputs.filter((o) => o !== '').length === 1 && onlyLinearUses(graph, consumers, c.outputs[0]!, depth + 1);
  });
}
