import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The ONNX opset the zoo exports (LSTM-7, Gemm-13, Conv-11, Reshape-13...). */
export const ZOO_OPSET = 13;

type AttrValue = number | string | number[] | string[];

/** One node; integer-valued attributes are written as INT(S) unless listed in `floatAttrs`. */
export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, AttrValue>;
  /** Attribute names whose numbers are floats even when integral (e.g. LeakyRelu alpha=1). */
  floatAttrs?: string[];
}

export interface TensorInit {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface GraphSpec {
  name: string;
  inputs: Array<{ name: string; shape: number[] }>;
  outputs: Array<{ name: string; shape: number[] }>;
  nodes: NodeSpec[];
  initializers: TensorInit[];
  docString?: string;
  /** Free-form key/value metadata stored in the model (metadata_props). */
  metadata?: Record<string, string>;
}

/** Collects nodes and initializers with unique names; `build()` encodes the ONNX protobuf bytes. */
export class GraphBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorInit[] = [];
  private counter = 0;

  /** A fresh tensor name with this prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Add a float32 constant (row-major `data` with `dims`); returns its name. */
  float(prefix: string, dims: number[], data: ArrayLike<number>): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (data.length !== n) throw new Error(`initializer ${prefix}: ${data.length} values for dims [${dims.join(',')}]`);
    const name = this.fresh(prefix);
    this.initializers.push({ name, dims, data: Float32Array.from(data) });
    return name;
  }

  /** Add an int64 constant (shapes, axes); returns its name. */
  int64(prefix: string, values: number[]): string {
    const name = this.fresh(prefix);
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    return name;
  }

  /** Add a node; returns its first output (a fresh name unless `outputs` is given). */
  node(op: string, inputs: string[], attrs?: Record<string, AttrValue>, outputs?: string[], floatAttrs?: string[]): string {
    const outs = outputs ?? [this.fresh(op.toLowerCase())];
    const spec: NodeSpec = { op, inputs, outputs: outs, name: this.fresh(`n_${op}`) };
    if (attrs !== undefined) spec.attrs = attrs;
    if (floatAttrs !== undefined) spec.floatAttrs = floatAttrs;
    this.nodes.push(spec);
    return outs[0]!;
  }
}

/** Encode a graph as ONNX model bytes (IR version 7, default-domain opset ZOO_OPSET). */
export function encodeModel(g: GraphSpec): Uint8Array {
  const valueInfo = (v: { name: string; shape: number[] }) =>
    onnx.ValueInfoProto.create({
      name: v.name,
      type: onnx.TypeProto.create({
        tensorType: onnx.TypeProto.Tensor.create({
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: onnx.TensorShapeProto.create({ dim: v.shape.map((d) => onnx.TensorShapeProto.Dimension.create({ dimValue: d })) }),
        }),
      }),
    });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'zkinfer',
    producerVersion: '1',
    docString: g.docString ?? '',
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: ZOO_OPSET })],
    metadataProps: Object.entries(g.metadata ?? {}).map(([key, value]) => onnx.StringStringEntryProto.create({ key, value })),
    graph: onnx.GraphProto.create({
      name: g.name,
      input: g.inputs.map(valueInfo),
      output: g.outputs.map(valueInfo),
      initializer: g.initializers.map(tensorProto),
      node: g.nodes.map((n) =>
        onnx.NodeProto.create({
          opType: n.op,
          name: n.name ?? '',
          input: n.inputs,
          output: n.outputs,
          attribute: Object.entries(n.attrs ?? {}).map(([name, v]) => attribute(name, v, n.floatAttrs?.includes(name) ?? false)),
        }),
      ),
    }),
  });
  return onnx.ModelProto.encode(model).finish();
}

function tensorProto(t: TensorInit) {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return onnx.TensorProto.create({
    name: t.name,
    dims: t.dims,
    dataType: t.data instanceof Float32Array ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.INT64,
    rawData: Uint8Array.from(bytes), // little-endian on every platform Node.js runs on
  });
}

function attribute(name: string, v: AttrValue, asFloat: boolean) {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: A.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === 'number') {
    return Number.isInteger(v) && !asFloat ? onnx.AttributeProto.create({ name, type: A.INT, i: v }) : onnx.AttributeProto.create({ name, type: A.FLOAT, f: v });
  }
  if (v.length > 0 && typeof v[0] === 'string') {
    return onnx.AttributeProto.create({ name, type: A.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) });
  }
  const nums = v as number[];
  return nums.every(Number.isInteger) && !asFloat
    ? onnx.AttributeProto.create({ name, type: A.INTS, ints: nums })
    : onnx.AttributeProto.create({ name, type: A.FLOATS, floats: nums });
}
