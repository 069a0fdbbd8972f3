import type { GraphIR, IRNode } from './graph.js';

/**
 * Exact rewrites that make circuits cheaper without changing what the model computes.
 *
 * - Relu → MaxPool becomes MaxPool → Relu: relu is monotone, so max(relu(a), relu(b)) = relu(max(a, b)) (MaxPool
 *   ignores padding). The relu then runs on one element per window instead of every element.
 *   Applied only when the Relu's output feeds that MaxPool alone and is not a graph output.
 */
export function optimizeGraph(g: GraphIR): GraphIR {
  const consumers = new Map<string, IRNode[]>();
  for (const n of g.nodes) for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const outputs = new Set(g.outputs.map((o) => o.name));
  const nodes = g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs] }));
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const shapes = new Map(g.shapes);
  for (const relu of nodes) {
    if (relu.op !== 'Relu') continue;
    const y = relu.outputs[0]!;
    const cs = consumers.get(y) ?? [];
    if (cs.length !== 1 || cs[0]!.op !== 'MaxPool' || outputs.has(y)) continue;
    const pool = byName.get(cs[0]!.name)!;
    if (pool.outputs.length !== 1) continue; // Indices output: keep as is
    const x = relu.inputs[0]!, p = pool.outputs[0]!;
    // MaxPool(x) → y' ; Relu(y') → p   (y keeps its name as the intermediate)
    pool.inputs[0] = x;
    pool.outputs[0] = y;
    relu.inputs[0] = y;
    relu.outputs[0] = p;
    shapes.set(y, shapes.get(p)!);
    // keep topological order: the pool now runs before the relu
    const ri = nodes.indexOf(relu), pi = nodes.indexOf(pool);
    nodes[ri] = pool;
    nodes[pi] = relu;
  }
  return { ...g, nodes, shapes };
}
