import * as ort from 'onnxruntime-node';
import type { GraphIR, IRValueInfo } from '../ir/graph.js';
import { OnnxParseError } from './errors.js';

/** onnxruntime's name of each ONNX integer / double element type (TensorProto.DataType). */
const ORT_TYPES: Record<number, { type: string; make: (xs: number[]) => ArrayLike<number | bigint> }> = {
  2: { type: 'uint8', make: (xs) => Uint8Array.from(xs, Math.trunc) },
  3: { type: 'int8', make: (xs) => Int8Array.from(xs, Math.trunc) },
  4: { type: 'uint16', make: (xs) => Uint16Array.from(xs, Math.trunc) },
  5: { type: 'int16', make: (xs) => Int16Array.from(xs, Math.trunc) },
  6: { type: 'int32', make: (xs) => Int32Array.from(xs, Math.trunc) },
  7: { type: 'int64', make: (xs) => BigInt64Array.from(xs, (v) => BigInt(Math.trunc(v))) },
  11: { type: 'float64', make: (xs) => Float64Array.from(xs) },
  12: { type: 'uint32', make: (xs) => Uint32Array.from(xs, Math.trunc) },
  13: { type: 'uint64', make: (xs) => BigUint64Array.from(xs, (v) => BigInt(Math.trunc(v))) },
};

/** An input tensor in the model's own element type (bool inputs: ≠ 0; integer inputs truncated). */
function feed(vi: IRValueInfo, xs: number[]): ort.Tensor {
  if (vi.elemType === 'bool') return new ort.Tensor('bool', Uint8Array.from(xs, (v) => (v !== 0 ? 1 : 0)), vi.shape);
  const t = ORT_TYPES[vi.onnxType ?? (vi.elemType === 'int' ? 7 : 1)];
  if (t) return new ort.Tensor(t.type as 'int64', t.make(xs) as BigInt64Array, vi.shape);
  return new ort.Tensor('float32', Float32Array.from(xs), vi.shape);
}

/** Run the original ONNX model in onnxruntime-node (float32) on one sample: flat inputs in, flat outputs out. */
export async function runOnnxRuntime(bytes: Uint8Array, graph: GraphIR, samples: number[][][]): Promise<Float64Array[][]> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (err) {
    throw ortError(graph, 'cannot load this model', err);
  }
  try {
    const results: Float64Array[][] = [];
    for (const sample of samples) {
      const feeds: Record<string, ort.Tensor> = {};
      graph.inputs.forEach((vi, i) => { feeds[vi.name] = feed(vi, sample[i]!); });
      let out: ort.InferenceSession.OnnxValueMapType;
      try {
        out = await session.run(feeds, graph.outputs.map((o) => o.name));
      } catch (err) {
        throw ortError(graph, 'cannot run this model', err);
      }
      results.push(graph.outputs.map((o) => {
        const t = out[o.name];
        if (!t) throw ortError(graph, `gave no output "${o.name}" for this model`, undefined);
        return Float64Array.from(t.data as ArrayLike<number | bigint | boolean>, Number);
      }));
    }
    return results;
  } finally {
    await session.release().catch(() => {});
  }
}

/**
 * onnxruntime refused a model the importer accepted (docs/zkml-compile.md "Refused models"): a typed error with
 * onnxruntime's own first line, not its stack.
 */
function ortError(graph: GraphIR, what: string, err: unknown): OnnxParseError {
  const msg = err instanceof Error ? err.message : err === undefined ? '' : String(err);
  // onnxruntime prefixes its messages with a source path and line ("/onnxruntime_src/…:46 void …] "): keep the reason
  const reason = msg.replace(/^[^\n]*?\]\s*/, '').split('\n')[0]!.trim();
  return new OnnxParseError(`onnxruntime ${what} (model "${graph.name}")${reason ? `: ${reason}` : ''}`, {
    hint: 'zkinfer measures every circuit against onnxruntime; fix the model so that onnxruntime runs it', cause: err,
  });
}
