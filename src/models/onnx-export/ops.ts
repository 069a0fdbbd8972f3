import onnxProto from 'onnx-proto';

/** Distinct op types used by an ONNX model, in first-use order. */
export function onnxOps(bytes: Uint8Array): string[] {
  const m = onnxProto.onnx.ModelProto.decode(bytes);
  const ops: string[] = [];
  for (const n of m.graph?.node ?? []) if (n.opType && !ops.includes(n.opType)) ops.push(n.opType);
  return ops;
}
