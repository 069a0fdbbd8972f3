import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { GraphIR, IRNode, IRValueInfo } from '../ir/graph.js';
import { FOLD_ONLY, KERNELS, KernelError } from '../ir/kernels.js';
import { tensor, type Tensor } from '../ir/tensor.js';
import { DynamicShapeError, OnnxParseError, UnsupportedOpError, type UnsupportedItem } from './errors.js';
import { decodeAttr, decodeTensor, onnx, type ModelProto } from './proto.js';

export interface ImportedModel {
  graph: GraphIR;
  /** sha256 (hex) of the model file bytes. */
  sha256: string;
  bytes: Uint8Array;
}

export interface ImportOptions {
  /** Values for symbolic dimensions (e.g. `{ batch_size: 4 }`); a symbolic dimension not named here is 1. */
  dims?: Record<string, number>;
  /** Called with each note about a defaulted symbolic dimension. */
  onNote?: (message: string) => void;
}

/** Read an ONNX file into the graph IR (static shapes, constants folded). */
export async function importOnnxFile(path: string, name?: string, opts: ImportOptions = {}): Promise<ImportedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new OnnxParseError(`cannot read ONNX model ${path}`, { hint: 'check the path', cause: err });
  }
  const graph = importOnnx(bytes, name ?? basename(path).replace(/\.onnx$/i, ''), opts);
  return { graph, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Decode ONNX bytes into the graph IR. */
export function importOnnx(bytes: Uint8Array, modelName: string, opts: ImportOptions = {}): GraphIR {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new OnnxParseError(`"${modelName}" is not a valid ONNX model: ${(err as Error).message}`, { hint: 'pass a .onnx file', cause: err });
  }
  const g = model.graph;
  if (!g) throw new OnnxParseError(`ONNX model "${modelName}" has no graph`);
  const opset = Number(String((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 13));

  const constants = new Map<string, Tensor>();
  for (const init of g.initializer ?? []) constants.set(init.name!, decodeTensor(init));

  const inputs: IRValueInfo[] = [];
  const defaulted = new Set<string>(), unnamed = new Set<string>();
  for (const vi of g.input ?? []) {
    if (constants.has(vi.name!)) continue; // old exporters list initializers as inputs
    const dims = vi.type?.tensorType?.shape?.dim;
    if (!dims) throw new DynamicShapeError(vi.name!, 'graph input', modelName);
    const shape = dims.map((d) => {
      if (d.dimParam) {
        const given = opts.dims?.[d.dimParam];
        if (given !== undefined) return given;
        defaulted.add(d.dimParam);
        return 1;
      }
      const v = d.dimValue === undefined || d.dimValue === null ? NaN : Number(String(d.dimValue));
      if (Number.isNaN(v)) { unnamed.add(vi.name!); return 1; } // an unnamed unknown dimension (e.g. skl2onnx's batch)
      if (!(v > 0)) throw new DynamicShapeError(vi.name!, 'graph input', modelName, { details: { dimValue: String(d.dimValue) } });
      return v;
    });
    const elemType = elemTypeOf(vi.type?.tensorType?.elemType);
    const onnxType = vi.type?.tensorType?.elemType ?? 1;
    inputs.push({ name: vi.name!, shape, ...(elemType !== 'float' ? { elemType } : {}), ...(onnxType !== 1 && onnxType !== 9 ? { onnxType } : {}) });
  }
  for (const i of unnamed) opts.onNote?.(`model "${modelName}": input "${i}" has an unknown dimension, set to 1`);
  for (const d of defaulted) opts.onNote?.(`model "${modelName}": symbolic dimension "${d}" set to 1 (use --dim ${d}=N to change it)`);
  if (inputs.length === 0) throw new OnnxParseError(`ONNX model "${modelName}" has no (non-constant) input`);

  // Walk the nodes in order with a zero-valued run of the graph: this folds constants and infers every static shape.
  const values = new Map<string, Tensor>();
  for (const i of inputs) values.set(i.name, tensor(i.shape));
  const shapes = new Map<string, number[]>(inputs.map((i) => [i.name, i.shape]));
  const nodes: IRNode[] = [];
  // Every unsupported node is collected (one error lists them all); tensors downstream of one are unknown.
  const unsupported: UnsupportedItem[] = [];
  const unknown = new Set<string>();
  (g.node ?? []).forEach((n, idx) => {
    const node: IRNode = {
      name: n.name || `${n.opType}_${idx}`,
      op: n.opType ?? '',
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs: Object.fromEntries((n.attribute ?? []).map((a) => [a.name!, decodeAttr(a)])),
    };
    if (node.op === 'Split' && node.attrs['num_outputs'] === undefined) node.attrs['num_outputs'] = node.outputs.length;
    // Softmax/LogSoftmax before opset 13 flatten to 2-D at `axis` (ir/kernels.ts softmaxGroups)
    if ((node.op === 'Softmax' || node.op === 'LogSoftmax') && opset < 13) node.attrs['coerce2d'] = 1;
    const skip = (op: string, why = ''): void => { unsupported.push({ op, node: node.name, why }); node.outputs.forEach((o) => unknown.add(o)); };
    if (n.domain && n.domain !== 'ai.onnx') return skip(`${n.domain}.${node.op}`, 'custom domain');
    if (node.inputs.some((i) => unknown.has(i))) {
      if (!KERNELS[node.op] && !['Constant', 'Shape'].includes(node.op)) skip(node.op);
      else node.outputs.forEach((o) => unknown.add(o));
      return;
    }
    const isConst = (nm: string) => nm === '' || constants.has(nm);
    const allConst = node.inputs.every(isConst);
    if (node.op === 'Constant') {
      const v = node.attrs['value'];
      if (!v || typeof v !== 'object' || !('data' in v)) {
        const k = Object.keys(node.attrs)[0] ?? '';
        const a = node.attrs[k];
        if (k === 'value_float' || k === 'value_int') constants.set(node.outputs[0]!, tensor([], [a as number]));
        else if (k === 'value_floats' || k === 'value_ints') constants.set(node.outputs[0]!, tensor([(a as number[]).length], a as number[]));
        else return skip('Constant', `attribute ${k}`);
      } else constants.set(node.outputs[0]!, v);
      return;
    }
    if (node.op === 'Shape') {
      const src = node.inputs[0]!;
      const shape = constants.get(src)?.shape ?? shapes.get(src);
      if (!shape) throw new DynamicShapeError(src, `node "${node.name}"`, modelName);
      let s = shape;
      const start = node.attrs['start'], end = node.attrs['end'];
      if (typeof start === 'number' || typeof end === 'number') s = shape.slice(typeof start === 'number' ? start : 0, typeof end === 'number' ? end : undefined);
      constants.set(node.outputs[0]!, tensor([s.length], s));
      return;
    }
    const kernel = KERNELS[node.op];
    if (!kernel) return skip(node.op);
    if (FOLD_ONLY.has(node.op) && !allConst) return skip(node.op, 'only supported on compile-time constants');
    const ins = node.inputs.map((nm) => {
      if (nm === '') return undefined;
      const t = constants.get(nm) ?? values.get(nm);
      if (!t) throw new OnnxParseError(`node "${node.name}" reads "${nm}", which no earlier node produces`, { hint: 'the graph must be topologically sorted' });
      return t;
    });
    let outs: Tensor[];
    try {
      outs = kernel(ins, node.attrs);
    } catch (err) {
      if (err instanceof KernelError) {
        if (err.unsupported) return skip(node.op, err.message);
        throw new OnnxParseError(`node "${node.name}" (${node.op}) in model "${modelName}": ${err.message}`, { cause: err });
      }
      throw err;
    }
    node.outputs.forEach((o, i) => {
      if (o === '' || !outs[i]) return;
      if (allConst) constants.set(o, outs[i]!);
      else { values.set(o, outs[i]!); shapes.set(o, outs[i]!.shape); }
    });
    if (!allConst) nodes.push(node);
  });

  if (unsupported.length) throw new UnsupportedOpError(unsupported, modelName);

  const outputs: IRValueInfo[] = (g.output ?? []).map((vi) => {
    // a constant output (e.g. an exporter's fixed second output) is a public constant of the circuit
    const shape = shapes.get(vi.name!) ?? constants.get(vi.name!)?.shape;
    if (!shape) throw new OnnxParseError(`output "${vi.name}" of model "${modelName}" is not produced by any node`);
    return { name: vi.name!, shape };
  });
  return { name: modelName, inputs, outputs, nodes: pruneDead(nodes, outputs), constants, shapes, opset };
}

/** Drop nodes whose outputs no graph output depends on (e.g. an LSTM's unused Y_c). */
function pruneDead(nodes: IRNode[], outputs: IRValueInfo[]): IRNode[] {
  const live = new Set(outputs.map((o) => o.name));
  const kept: IRNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (n.outputs.some((o) => live.has(o))) {
      kept.push(n);
      for (const x of n.inputs) if (x) live.add(x);
    }
  }
  return kept.reverse();
}

/** The value kind of an ONNX element type (TensorProto.DataType): bool 9, integers 2–7 and 12–13, else float. */
function elemTypeOf(t: number | null | undefined): IRValueInfo['elemType'] {
  if (t === 9) return 'bool';
  if (t !== undefined && t !== null && [2, 3, 4, 5, 6, 7, 12, 13].includes(t)) return 'int';
  return 'float';
}
