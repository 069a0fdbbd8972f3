import onnxProto from 'onnx-proto';
import { checkedSize, KernelError, tensor, type Tensor } from '../ir/tensor.js';
import type { AttrValue } from '../ir/graph.js';
import { OnnxParseError } from './errors.js';

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;

/** ONNX TensorProto.DataType codes zkinfer reads. */
export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(String(v)));

/**
 * Decode an ONNX TensorProto (typed fields or raw little-endian bytes) into a float64 tensor. `label` names it in
 * errors (default `tensor "NAME"`). Refused with an OnnxParseError: a dimension that is not a non-negative integer, a
 * value count that does not match the dims, raw bytes that are not a whole number of elements, a NaN;
 * with a TensorLimitError: more than MAX_TENSOR_ELEMENTS elements (docs/zkml-compile.md "Refused models").
 */
export function decodeTensor(t: onnxProto.onnx.ITensorProto, label = `tensor "${t.name ?? ''}"`): Tensor {
  const shape = (t.dims ?? []).map(num);
  const dt = t.dataType ?? DT.FLOAT;
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new OnnxParseError(`${label} is stored in an external data file`, { hint: 'save the model with all weights inside the .onnx file' });
  }
  let size: number;
  try {
    size = checkedSize(shape, label);
  } catch (err) {
    if (err instanceof KernelError) throw new OnnxParseError(`${label} has dims [${shape.join(', ')}]: every dimension must be a non-negative integer`);
    throw err;
  }
  // a scalar is stored with no dims and one value
  const expect = (n: number): void => {
    if (n !== size) throw new OnnxParseError(`${label} holds ${n} values, but its dims [${shape.join(', ')}] need ${size}`);
  };
  let out: Tensor;
  if (raw) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const width = ({ [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.INT64]: 8, [DT.INT32]: 4, [DT.INT8]: 1, [DT.UINT8]: 1, [DT.BOOL]: 1 } as Record<number, number>)[dt];
    if (!width) throw new OnnxParseError(`${label} has unsupported data type ${dt}`, { hint: 'use float32 weights' });
    if (raw.byteLength % width !== 0) throw new OnnxParseError(`${label} has ${raw.byteLength} bytes of raw data, not a whole number of ${width}-byte elements`);
    const n = raw.byteLength / width;
    expect(n);
    out = tensor(shape); // counted against the model's total before the values are decoded into it
    const values = out.data;
    for (let i = 0; i < n; i++) {
      const o = i * width;
      values[i] = dt === DT.FLOAT ? dv.getFloat32(o, true) : dt === DT.DOUBLE ? dv.getFloat64(o, true)
        : dt === DT.INT64 ? Number(dv.getBigInt64(o, true)) : dt === DT.INT32 ? dv.getInt32(o, true)
        : dt === DT.INT8 ? dv.getInt8(o) : dv.getUint8(o);
    }
  } else {
    let values: number[];
    if (dt === DT.FLOAT) values = Array.from(t.floatData ?? []);
    else if (dt === DT.DOUBLE) values = Array.from(t.doubleData ?? []);
    else if (dt === DT.INT64) values = (t.int64Data ?? []).map(num);
    else if (dt === DT.INT32 || dt === DT.INT8 || dt === DT.UINT8 || dt === DT.BOOL) values = Array.from(t.int32Data ?? []);
    else throw new OnnxParseError(`${label} has unsupported data type ${dt}`, { hint: 'use float32 weights' });
    expect(values.length);
    out = tensor(shape, values);
  }
  // a NaN has no fixed-point value; ±Infinity is kept for Clip's bounds, the importer refuses it anywhere else
  // (docs/zkml-compile.md "Refused models")
  const bad = out.data.findIndex((v) => Number.isNaN(v));
  if (bad >= 0) throw new OnnxParseError(`${label} holds a non-finite value (NaN at index ${bad})`, { hint: 'zkinfer compiles finite weights only' });
  return out;
}

/** Decode a node attribute to a plain value; `where` (e.g. `node "Conv_0"`) names the node in errors. */
export function decodeAttr(a: onnxProto.onnx.IAttributeProto, where = 'a node'): AttrValue {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT: return num(a.i);
    case T.FLOAT: return a.f ?? 0;
    case T.STRING: return Buffer.from(a.s ?? []).toString('utf8');
    case T.INTS: return (a.ints ?? []).map(num);
    case T.FLOATS: return Array.from(a.floats ?? []);
    case T.STRINGS: return (a.strings ?? []).map((s) => Buffer.from(s).toString('utf8'));
    case T.TENSOR:
      if (!a.t) throw new OnnxParseError(`attribute "${a.name}" of ${where} is a TENSOR attribute without a tensor`);
      return decodeTensor(a.t, `tensor attribute "${a.name}" of ${where}`);
    default: throw new OnnxParseError(`attribute "${a.name}" of ${where} has unsupported type ${String(a.type)}`);
  }
}
