import type onnxProto from 'onnx-proto';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { GraphIR, IRNode, IRValueInfo } from '../ir/graph.js';
import { castKind, FOLD_ONLY, KERNELS, KernelError } from '../ir/kernels.js';
import { checkedSize, ModelSizeLimitError, tensor, TensorLimitError, withModelBudget, type Tensor } from '../ir/tensor.js';
import { InvalidInputError, ZkinferError } from '../../errors/base.js';
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
  /** How errors name the model (importOnnxFile: its path); default `model "<name>"`. */
  source?: string;
}

/** Read an ONNX file into the graph IR (static shapes, constants folded). */
export async function importOnnxFile(path: string, name?: string, opts: ImportOptions = {}): Promise<ImportedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new OnnxParseError(`cannot read ONNX model ${path}`, { hint: 'check the path', cause: err });
  }
  const graph = importOnnx(bytes, name ?? basename(path).replace(/\.onnx$/i, ''), { source: path, ...opts });
  return { graph, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * The highest default-domain opset the importer accepts: the highest onnxruntime-node 1.30 loads (the compile measures
 * the circuit against it), docs/zkml-compile.md "Refused models".
 */
export const MAX_OPSET = 26;

type ElemKind = NonNullable<IRValueInfo['elemType']>;
/** Ops whose integer semantics (truncation) differ from the float kernel's; refused on computed integer tensors. */
const INT_TRUNCATING = new Set(['Div', 'ReduceMean']);
/** Ops whose output is bool whatever their inputs. */
const BOOL_OPS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not']);

/**
 * Every `--dim NAME` must name a symbolic dimension of the model's inputs (docs/zkml-compile.md "Symbolic
 * dimensions"): a typo would otherwise leave the dimension at 1 without a word.
 */
function checkDimNames(dims: Record<string, number> | undefined, symbolic: ReadonlySet<string>, source: string): void {
  const unknown = Object.keys(dims ?? {}).filter((d) => !symbolic.has(d));
  if (unknown.length === 0) return;
  const known = [...symbolic];
  throw new InvalidInputError(`--dim ${unknown.map((d) => `"${d}"`).join(', ')}: ${source} has no such symbolic dimension; ${known.length ? `its symbolic dimensions are ${known.map((d) => `"${d}"`).join(', ')}` : 'it has no symbolic dimensions'}`, {
    hint: known.length ? `e.g. --dim ${known[0]}=4` : 'drop --dim: every input dimension of this model is fixed',
    details: { unknown, symbolicDims: known },
  });
}

/** Decode ONNX bytes into the graph IR, its tensors and op work bounded in total (MAX_MODEL_ELEMENTS). */
export function importOnnx(bytes: Uint8Array, modelName: string, opts: ImportOptions = {}): GraphIR {
  return withModelBudget(() => importGraph(bytes, modelName, opts));
}

function importGraph(bytes: Uint8Array, modelName: string, opts: ImportOptions): GraphIR {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new OnnxParseError(`"${modelName}" is not a valid ONNX model: ${(err as Error).message}`, { hint: 'pass a .onnx file', cause: err });
  }
  const g = model.graph;
  if (!g) throw new OnnxParseError(`ONNX model "${modelName}" has no graph`);
  const opset = Number(String((model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 13));
  if (!(Number.isInteger(opset) && opset >= 1 && opset <= MAX_OPSET)) {
    throw new OnnxParseError(`ONNX model "${modelName}" uses opset ${opset}; zkinfer supports opsets 1 to ${MAX_OPSET}`, { hint: `export the model with opset ≤ ${MAX_OPSET}` });
  }

  // Every tensor name is defined once: by a graph input, an initializer or one node output (ONNX's SSA rule).
  const definedBy = new Map<string, string>();
  const define = (name: string, by: string): void => {
    const prev = definedBy.get(name);
    if (prev !== undefined) throw new OnnxParseError(`tensor "${name}" of model "${modelName}" is defined twice: by ${prev} and by ${by}`, { hint: 'each tensor name must be written once (inputs, initializers and node outputs)' });
    definedBy.set(name, by);
  };
  const constants = new Map<string, Tensor>();
  // element kind of each tensor that is not float (integer division truncates, see INT_TRUNCATING)
  const kinds = new Map<string, ElemKind>();
  for (const init of g.initializer ?? []) {
    const name = init.name ?? '';
    define(name, `initializer "${name}"`);
    constants.set(name, decodeTensor(init, `initializer "${name}" of model "${modelName}"`));
    const k = elemTypeOf(init.dataType);
    if (k && k !== 'float') kinds.set(name, k);
  }

  const inputs: IRValueInfo[] = [];
  const defaulted = new Set<string>(), unnamed = new Set<string>(), symbolic = new Set<string>();
  const inputNames = new Set<string>();
  for (const vi of g.input ?? []) {
    if (inputNames.has(vi.name ?? '')) throw new OnnxParseError(`ONNX model "${modelName}" declares input "${vi.name}" twice`, { hint: 'graph input names must be unique' });
    inputNames.add(vi.name ?? '');
    if (constants.has(vi.name!)) continue; // old exporters list initializers as inputs
    if (!vi.name) throw new OnnxParseError(`ONNX model "${modelName}" has a graph input without a name`);
    define(vi.name, `graph input "${vi.name}"`);
    const dims = vi.type?.tensorType?.shape?.dim;
    if (!dims) throw new DynamicShapeError(vi.name!, 'graph input', modelName);
    const shape = dims.map((d) => {
      if (d.dimParam) {
        symbolic.add(d.dimParam);
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
    checkedSize(shape, `graph input "${vi.name}" of model "${modelName}"`);
    const elemType = elemTypeOf(vi.type?.tensorType?.elemType);
    if (elemType !== 'float') kinds.set(vi.name, elemType);
    const onnxType = vi.type?.tensorType?.elemType ?? 1;
    inputs.push({ name: vi.name!, shape, ...(elemType !== 'float' ? { elemType } : {}), ...(onnxType !== 1 && onnxType !== 9 ? { onnxType } : {}) });
  }
  checkDimNames(opts.dims, symbolic, opts.source ?? `model "${modelName}"`);
  for (const i of unnamed) opts.onNote?.(`model "${modelName}": input "${i}" has an unknown dimension, set to 1`);
  for (const d of defaulted) opts.onNote?.(`model "${modelName}": symbolic dimension "${d}" set to 1 (use --dim ${d}=N to change it)`);
  if (inputs.length === 0) throw new OnnxParseError(`ONNX model "${modelName}" has no (non-constant) input`);
  if ((g.output ?? []).length === 0) throw new OnnxParseError(`ONNX model "${modelName}" has no graph output`, { hint: 'a circuit proves its outputs: declare at least one' });
  const outputNames = new Set<string>();
  for (const vi of g.output ?? []) {
    if (outputNames.has(vi.name ?? '')) throw new OnnxParseError(`ONNX model "${modelName}" declares output "${vi.name}" twice`, { hint: 'graph output names must be unique' });
    outputNames.add(vi.name ?? '');
  }

  // Walk the nodes in order with a zero-valued run of the graph: this folds constants and infers every static shape.
  const values = new Map<string, Tensor>();
  for (const i of inputs) values.set(i.name, tensor(i.shape));
  const shapes = new Map<string, number[]>(inputs.map((i) => [i.name, i.shape]));
  const nodes: IRNode[] = [];
  // Every unsupported node is collected (one error lists them all); tensors downstream of one are unknown.
  const unsupported: UnsupportedItem[] = [];
  const unknown = new Set<string>();
  (g.node ?? []).forEach((n, idx) => {
    const name = n.name || `${n.opType}_${idx}`;
    try {
      importNode(n, name);
    } catch (err) {
      // every failure names its node; anything but a typed error is a bug of ours, said so (docs/zkml-compile.md "Refused models")
      if (err instanceof TensorLimitError && !err.where) {
        throw new TensorLimitError(err.elements, err.subject ?? `tensor "${n.output?.[0] ?? ''}"`, err.shape, `node "${name}" (${n.opType}) in model "${modelName}"`);
      }
      if (err instanceof ModelSizeLimitError && !err.where) throw new ModelSizeLimitError(err.elements, err.subject, `node "${name}" (${n.opType}) in model "${modelName}"`);
      if (err instanceof ZkinferError) throw err;
      throw new OnnxParseError(`internal error in node "${name}" (${n.opType}) of model "${modelName}": ${(err as Error)?.message ?? String(err)}`, {
        hint: 'the model may be malformed; if onnxruntime runs it, please report this as a zkinfer bug', cause: err,
      });
    }
  });

  function importNode(n: onnxProto.onnx.INodeProto, name: string): void {
    const node: IRNode = {
      name,
      op: n.opType ?? '',
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs: Object.fromEntries((n.attribute ?? []).map((a) => [a.name!, decodeAttr(a, `node "${name}" of model "${modelName}"`)])),
    };
    for (const o of node.outputs) if (o !== '') define(o, `node "${name}"`);
    const kind = outputKind(n, node, kinds);
    for (const o of node.outputs) if (o !== '' && kind !== 'float') kinds.set(o, kind);
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
        else if (k === 'value' || k === '') throw new OnnxParseError(`Constant node "${node.name}" of model "${modelName}" has no value`);
        else return skip('Constant', `attribute ${k}`);
        if (constants.get(node.outputs[0]!)!.data.some(Number.isNaN)) throw new OnnxParseError(`Constant node "${node.name}" of model "${modelName}" holds NaN`, { hint: 'zkinfer compiles finite weights only' });
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
    // integer Div/ReduceMean truncate: folded exactly below; on a computed tensor the circuit's real division would
    // prove another function (docs/zkml-compile.md "Refused models")
    const intOp = INT_TRUNCATING.has(node.op) && kinds.get(node.inputs[0] ?? '') === 'int';
    if (intOp && !allConst) return skip(node.op, `on integer tensor "${node.inputs[0]}": integer ${node.op === 'Div' ? 'division' : 'mean'} truncates, the circuit has no truncating division`);
    const ins = node.inputs.map((nm) => {
      if (nm === '') return undefined;
      const t = constants.get(nm) ?? values.get(nm);
      if (!t) throw new OnnxParseError(`node "${node.name}" reads "${nm}", which no earlier node produces`, { hint: 'the graph must be topologically sorted' });
      return t;
    });
    let outs: Tensor[];
    try {
      outs = kernel(ins, node.attrs);
      if (intOp) {
        if (node.op === 'Div' && ins[1]?.data.some((v) => v === 0)) throw new KernelError('integer division by zero', false);
        for (const t of outs) for (let i = 0; i < t.data.length; i++) t.data[i] = Math.trunc(t.data[i]!);
      }
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
  }

  if (unsupported.length) throw new UnsupportedOpError(unsupported, modelName);

  const outputs: IRValueInfo[] = (g.output ?? []).map((vi) => {
    // a constant output (e.g. an exporter's fixed second output) is a public constant of the circuit
    const shape = shapes.get(vi.name!) ?? constants.get(vi.name!)?.shape;
    if (!shape) throw new OnnxParseError(`output "${vi.name}" of model "${modelName}" is not produced by any node`);
    return { name: vi.name!, shape };
  });
  const live = pruneDead(nodes, outputs);
  // A constant the circuit reads must have a fixed-point value: NaN and ±Infinity are refused, except as Clip's
  // bounds (a bound of ±Infinity is no bound). docs/zkml-compile.md "Refused models".
  const finite = (name: string, reader: string): void => {
    const t = constants.get(name);
    const i = t ? t.data.findIndex((v) => !Number.isFinite(v)) : -1;
    if (i >= 0) {
      throw new OnnxParseError(`constant "${name}" of model "${modelName}" holds a non-finite value (${t!.data[i]} at index ${i}), read by ${reader}`, { hint: 'zkinfer compiles finite weights only (±Infinity only as a Clip bound)' });
    }
  };
  for (const n of live) n.inputs.forEach((x, i) => { if (x && !(n.op === 'Clip' && i > 0)) finite(x, `node "${n.name}" (${n.op})`); });
  for (const o of outputs) finite(o.name, 'the graph outputs');
  return { name: modelName, inputs, outputs, nodes: live, constants, shapes, opset };
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

/**
 * The element kind of a node's outputs, from ONNX's type rules: Cast's `to`, bool for comparisons, int for Shape
 * and Range/ConstantOfShape of integers, else the kind of its data input (Where: X).
 */
function outputKind(n: { attribute?: Array<{ name?: string | null; t?: { dataType?: number | null } | null }> | null }, node: IRNode, kinds: Map<string, ElemKind>): ElemKind {
  const of = (i: number): ElemKind => kinds.get(node.inputs[i] ?? '') ?? 'float';
  switch (node.op) {
    case 'Cast': return typeof node.attrs['to'] === 'number' ? safeCastKind(node.attrs['to']) : 'float';
    case 'Shape': case 'Size': return 'int';
    case 'Constant': {
      const k = Object.keys(node.attrs)[0] ?? '';
      if (k === 'value_int' || k === 'value_ints') return 'int';
      if (k === 'value') return elemTypeOf(n.attribute?.find((a) => a.name === 'value')?.t?.dataType) ?? 'float';
      return 'float';
    }
    case 'ConstantOfShape': return elemTypeOf(n.attribute?.find((a) => a.name === 'value')?.t?.dataType) ?? 'float';
    case 'Where': return of(1);
    default: return BOOL_OPS.has(node.op) ? 'bool' : of(0);
  }
}

function safeCastKind(to: number): ElemKind {
  try { return castKind(to); } catch { return 'float'; }
}

/** The value kind of an ONNX element type (TensorProto.DataType): bool 9, integers 2–7 and 12–13, else float. */
function elemTypeOf(t: number | null | undefined): ElemKind {
  if (t === 9) return 'bool';
  if (t !== undefined && t !== null && [2, 3, 4, 5, 6, 7, 12, 13].includes(t)) return 'int';
  return 'float';
}
