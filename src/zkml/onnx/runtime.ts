import * as ort from 'onnxruntime-node';
import type { GraphIR } from '../ir/graph.js';

/** Run the original ONNX model in onnxruntime-node (float32) on one sample: flat inputs in, flat outputs out. */
export async function runOnnxRuntime(bytes: Uint8Array, graph: GraphIR, samples: number[][][]): Promise<Float64Array[][]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const results: Float64Array[][] = [];
    for (const sample of samples) {
      const feeds: Record<string, ort.Tensor> = {};
      graph.inputs.forEach((vi, i) => { feeds[vi.name] = new ort.Tensor('float32', Float32Array.from(sample[i]!), vi.shape); });
      const out = await session.run(feeds, graph.outputs.map((o) => o.name));
      results.push(graph.outputs.map((o) => Float64Array.from(out[o.name]!.data as Float32Array)));
    }
    return results;
  } finally {
    await session.release();
  }
}
