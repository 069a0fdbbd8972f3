import { onnx } from '../../zkml/onnx/proto.js';

/** Distinct op types used by an ONNX model, in first-use order. */
export function onnxOps(bytes: Uint8Array): string[] {
  const m = onnx.ModelProto.decode(bytes);
  const ops: string[] = [];
  for (const n of m.graph?.node ?? []) if (n.opType && !ops.includes(n.opType)) ops.push(n.opType);
  return ops;
}

/** The default-domain opset an ONNX model imports. */
export function onnxOpset(bytes: Uint8Array): number {
  const m = onnx.ModelProto.decode(bytes);
  return Number(String(m.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0));
}
