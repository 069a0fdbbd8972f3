import type { GraphIR } from './graph.js';
import { KERNELS } from './kernels.js';
import { sizeOf, tensor, type Tensor } from './tensor.js';
import { InvalidInputError } from '../../errors/base.js';

/** Run the graph IR in float64 (the reference the quantized circuit is measured against). Inputs are flat arrays, one per graph input. */
export function evaluateGraph(graph: GraphIR, inputs: ArrayLike<number>[]): Tensor[] {
  if (inputs.length !== graph.inputs.length) {
    throw new InvalidInputError(`model "${graph.name}" takes ${graph.inputs.length} input tensor(s), got ${inputs.length}`);
  }
  const values = new Map<string, Tensor>(graph.constants);
  graph.inputs.forEach((vi, i) => {
    const n = sizeOf(vi.shape);
    if (inputs[i]!.length !== n) throw new InvalidInputError(`input "${vi.name}" needs ${n} values (shape [${vi.shape}]), got ${inputs[i]!.length}`);
    values.set(vi.name, tensor(vi.shape, inputs[i]!));
  });
  for (const node of graph.nodes) {
    const outs = KERNELS[node.op]!(node.inputs.map((n) => (n === '' ? undefined : values.get(n))), node.attrs);
    node.outputs.forEach((o, i) => { if (o && outs[i]) values.set(o, outs[i]!); });
  }
  return graph.outputs.map((o) => values.get(o.name)!);
}
