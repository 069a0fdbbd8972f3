import type { GraphIR, IRNode } from '../ir/graph.js';
import { castKind } from '../ir/kernels.js';

/**
 * Per-tensor scales chosen from calibration data (docs/zkml-compile.md "Per-tensor scales"): a graph input or a Relu
 * output whose every use is a constant-linear op (Gemm, MatMul by a constant, Conv, Mul/Div by a constant, …,
 * possibly through shape-only ops, Casts to float and additions of constants) may get its own fractional bits s + k. The constant weights it meets take k fewer (so the
 * accumulator lands at the scale it has at s, stays exact until its one rescale, and keeps its width): a wide tensor
 * (|x| ≈ 1e4 against weights ≈ 1e-4) is read coarser and its weights finer; a narrow one the other way. k balances
 * the two rounding terms of Σ w·x, |x|·2^−(sw − k) = |w|·2^−(s + k), from the calibrated max |x| and the weights' max |w|.
 */

/** At most this many bits finer than the working scale (the weights give them up). */
export const MAX_FINER = 8;
/** A shift of fewer bits is not worth a scale of its own (the working scale is kept). */
const MIN_SHIFT = 2;

/** Ops whose one model-dependent input is multiplied by constant weights in Lowerer.affine, and where the weights are. */
const AFFINE: Readonly<Record<string, number | undefined>> = {
  Gemm: 1, MatMul: -1, Conv: 1, AveragePool: undefined, GlobalAveragePool: undefined, BatchNormalization: undefined, ReduceSum: undefined, ReduceMean: undefined,
};
/** Single-input shape-only ops that keep a tensor's scale (and its own-scale mark), as does a Cast to float. */
const MOVES = new Set(['Identity', 'Dropout', 'Flatten', 'Reshape', 'Squeeze', 'Unsqueeze', 'Transpose']);

/**
 * The scale of a tensor with calibrated max |x| = xMax whose weights have max |w| = wMax and fractional bits ws at
 * the working scale s: s + k with k = (log2 wMax − log2 xMax + ws − s) / 2 rounded, within [0, min(s + MAX_FINER, hi)]
 * (metadata scales are ≥ 0; `hi`: the finest its producer gives without another rescale); s when |k| < MIN_SHIFT.
 */
export function balancedScale(xMax: number, wMax: number, s: number, ws: number, hi = Infinity): number {
  const k = Math.round((Math.log2(Math.max(wMax, 2 ** -40)) - Math.log2(Math.max(xMax, 2 ** -40)) + ws - s) / 2);
  if (Math.abs(k) < MIN_SHIFT) return s;
  return Math.max(0, Math.min(s + k, s + MAX_FINER, hi));
}

/** Which node reads which tensor. */
export type Consumers = ReadonlyMap<string, readonly IRNode[]>;

/**
 * When tensor `t` is no graph output and every use of it is, through single-input shape-only ops, Casts to float
 * and additions of constants, the one model-dependent input of a constant-linear op (so the weights can absorb its
 * own scale): the largest |weight| those ops multiply it by (1 for pooling, reductions and BatchNormalization).
 * Otherwise undefined.
 */
export function linearUseWeight(graph: GraphIR, consumers: Consumers, t: string, depth = 0): number | undefined {
  if (depth > 32 || graph.outputs.some((o) => o.name === t)) return undefined;
  const uses = consumers.get(t) ?? [];
  if (uses.length === 0) return undefined;
  let w = 0;
  for (const c of uses) {
    const others = c.inputs.filter((i) => i !== '' && i !== t);
    if (c.inputs.filter((i) => i === t).length !== 1 || !others.every((i) => graph.constants.has(i))) return undefined;
    if ((c.op === 'Mul' || (c.op === 'Div' && c.inputs[0] === t)) && others.length === 1) {
      // an elementwise product with constants (Div: by the reciprocals)
      const k = graph.constants.get(others[0]!)!.data.reduce((m, v) => Math.max(m, Math.abs(c.op === 'Div' ? 1 / v : v)), 0);
      w = Math.max(w, k);
      continue;
    }
    if (c.op in AFFINE) {
      if (c.op === 'Gemm' && c.inputs[2] === t) return undefined;
      const at = AFFINE[c.op] === -1 ? c.inputs.findIndex((i) => i !== t) : AFFINE[c.op];
      const wt = at === undefined ? undefined : graph.constants.get(c.inputs[at]!);
      const alpha = c.op === 'Gemm' && typeof c.attrs['alpha'] === 'number' ? Math.abs(c.attrs['alpha'] as number) : 1;
      w = Math.max(w, wt ? alpha * wt.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0) : 1);
      continue;
    }
    // shape-only ops, a Cast to float and the addition of a constant keep the scale
    const move = MOVES.has(c.op) || c.op === 'Add' || c.op === 'Sub' || (c.op === 'Cast' && castKind(typeof c.attrs['to'] === 'number' ? (c.attrs['to'] as number) : 1) === 'float');
    const next = move && c.outputs.filter((o) => o !== '').length === 1 ? linearUseWeight(graph, consumers, c.outputs[0]!, depth + 1) : undefined;
    if (next === undefined) return undefined;
    w = Math.max(w, next);
  }
  return w;
}
