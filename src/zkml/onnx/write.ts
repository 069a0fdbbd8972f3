import onnxProto from 'onnx-proto';
import type { Tensor } from '../ir/tensor.js';

const { onnx } = onnxProto;

export type AttrInput = number | string | number[] | string[] | Tensor | { floats: number[] } | { float: number };

/**
 * A small ONNX graph builder: declare inputs, add initializers and nodes, name outputs, then `toBytes()`.
 * Float tensors are stored as float32 raw data; integer constants (shapes, axes, indices) as int64.
 *
 * ```ts
 * const b = new OnnxBuilder('mlp');
 * b.input('x', [1, 4]);
 * b.node('Gemm', ['x', b.init('w', [3, 4], w), b.init('b', [3], bias)], ['y'], { transB: 1 });
 * b.output('y', [1, 3]);
 * writeFileSync('mlp.onnx', b.toBytes());
 * ```
 * Integer-valued attributes are written as INT/INTS, string lists as STRINGS; use `{ float: 1 }` / `{ floats: [...] }`
 * to force floats.
 */
export class OnnxBuilder {
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private counter = 0;

  constructor(readonly graphName: string, readonly opset = 17) {}

  private static valueInfo(name: string, shape: Array<number | string>, elemType: number): onnxProto.onnx.IValueInfoProto {
    return { name, type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
  }

  private static floatTensor(name: string, shape: number[], data: ArrayLike<number>): onnxProto.onnx.ITensorProto {
    const f32 = Float32Array.from(data as ArrayLike<number>);
    return { name, dims: shape, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(f32.buffer) };
  }

  /**
   * Declare a graph input (float unless `elemType` names another TensorProto.DataType, e.g. 9 bool, 7 int64); a
   * string dimension is symbolic (`dim_param`).
   */
  input(name: string, shape: Array<number | string>, elemType: number = onnx.TensorProto.DataType.FLOAT): string {
    this.inputs.push(OnnxBuilder.valueInfo(name, shape, elemType));
    return name;
  }

  /** Declare a graph output (float unless `elemType` says otherwise). */
  output(name: string, shape: Array<number | string>, elemType: number = onnx.TensorProto.DataType.FLOAT): string {
    this.outputs.push(OnnxBuilder.valueInfo(name, shape, elemType));
    return name;
  }

  /** Add a float32 initializer; returns its name. */
  init(name: string, shape: number[], data: ArrayLike<number>): string {
    this.initializers.push(OnnxBuilder.floatTensor(name, shape, data));
    return name;
  }

  /** Add an int64 initializer (shapes, axes, indices); returns its name. */
  initInt64(name: string, shape: number[], data: number[]): string {
    const b = new BigInt64Array(data.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: shape, dataType: onnx.TensorProto.DataType.INT64, rawData: new Uint8Array(b.buffer) });
    return name;
  }

  /** A fresh tensor name. */
  fresh(prefix = 't'): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Add a node. Returns its first output name. */
  node(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrInput> = {}, name?: string): string {
    const T = onnx.AttributeProto.AttributeType;
    const attribute = Object.entries(attrs).map(([k, v]): onnxProto.onnx.IAttributeProto => {
      if (typeof v === 'string') return { name: k, type: T.STRING, s: new TextEncoder().encode(v) };
      if (typeof v === 'number') return Number.isInteger(v) ? { name: k, type: T.INT, i: v } : { name: k, type: T.FLOAT, f: v };
      if (Array.isArray(v)) {
        if (v.length > 0 && v.every((e) => typeof e === 'string')) return { name: k, type: T.STRINGS, strings: v.map((e) => new TextEncoder().encode(e)) };
        return v.every(Number.isInteger) ? { name: k, type: T.INTS, ints: v as number[] } : { name: k, type: T.FLOATS, floats: v as number[] };
      }
      if ('floats' in v) return { name: k, type: T.FLOATS, floats: v.floats };
      if ('float' in v) return { name: k, type: T.FLOAT, f: v.float };
      return { name: k, type: T.TENSOR, t: OnnxBuilder.floatTensor(k, v.shape, v.data) };
    });
    this.nodes.push({ opType: op, name: name ?? `${op}_${this.nodes.length}`, input: inputs, output: outputs, attribute });
    return outputs[0]!;
  }

  /** Serialize to ONNX protobuf bytes. */
  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'zkinfer',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: { name: this.graphName, input: this.inputs, output: this.outputs, initializer: this.initializers, node: this.nodes },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
