import * as ort from 'onnxruntime-node';
import type { GraphIR, IRValueInfo } from '../ir/graph.js';

/** An input tensor in the model's own element type (bool inputs: ≠ 0; integer inputs: int64, truncated). */
function feed(vi: IRValueInfo, xs: number[]): ort.Tensor {
  if (vi.elemType === 'bool') return new ort.Tensor('bool', Uint8Array.from(xs, (v) => (v !== 0 ? 1 : 0)), vi.shape);
  if (vi.elemType === 'int') return new ort.Tensor('int64', BigInt64Array.from(xs, (v) => BigInt(Math.trunc(v))), vi.shape);
  return new ort.Tensor('float32', Float32Array.from(xs), vi.shape);
}

/** Run the original ONNX model in onnxruntime-node (float32) on one sample: flat inputs in, flat outputs out. */
export async function runOnnxRuntime(bytes: Uint8Array, graph: GraphIR, samples: number[][][]): Promise<Float64Array[][]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const results: Float64Array[][] = [];
    for (const sample of samples) {
      const feeds: Record<string, ort.Tensor> = {};
      graph.inputs.forEach((vi, i) => { feeds[vi.name] = feed(vi, sample[i]!); });
      const out = await session.run(feeds, graph.outputs.map((o) => o.name));
      results.push(graph.outputs.map((o) => Float64Array.from(out[o.name]!.data as ArrayLike<number | bigint | boolean>, Number)));
    }
    return results;
  } finally {
    await session.release();
  }
}
