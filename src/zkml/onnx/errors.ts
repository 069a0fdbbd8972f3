import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** The ONNX file could not be read or is not a valid model. */
export class OnnxParseError extends ZkinferError {
  override readonly name = 'OnnxParseError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('ONNX_PARSE', message, opts);
  }
}

/** One node the compiler cannot turn into a circuit. */
export interface UnsupportedItem { op: string; node: string; why: string }

const describe = (i: UnsupportedItem): string => `${i.op}${i.why ? ` (${i.why})` : ''} at node "${i.node}"`;

/**
 * The model uses operators (or operator attributes) the zkML compiler cannot turn into a circuit. The importer
 * lists every such node in one error; `op`/`node` are the first one.
 */
export class UnsupportedOpError extends ZkinferError {
  override readonly name = 'UnsupportedOpError';
  readonly items: UnsupportedItem[];
  readonly op: string;
  readonly node: string;
  constructor(what: string | UnsupportedItem[], nodeOrModel: string, model?: string, why = '', opts: ZkinferErrorOptions = {}) {
    const items = typeof what === 'string' ? [{ op: what, node: nodeOrModel, why }] : what;
    const m = typeof what === 'string' ? model! : nodeOrModel;
    const ops = [...new Set(items.map((i) => i.op))];
    super('UNSUPPORTED_OP', items.length === 1
      ? `unsupported ONNX op ${describe(items[0]!)} in model "${m}"`
      : `${items.length} unsupported ONNX nodes (${ops.join(', ')}) in model "${m}": ${items.map(describe).join('; ')}`, {
      hint: opts.hint ?? 'export the model with supported ops only (see docs/zkml-compile.md for the op table)',
      details: { op: items[0]!.op, node: items[0]!.node, model: m, unsupported: items, ...opts.details },
      cause: opts.cause,
    });
    this.items = items;
    this.op = items[0]!.op;
    this.node = items[0]!.node;
  }

  get model(): string { return (this.details as { model: string }).model; }
}

/** A tensor shape is not fully static (symbolic batch size, unknown dimension). */
export class DynamicShapeError extends ZkinferError {
  override readonly name = 'DynamicShapeError';
  constructor(readonly tensor: string, readonly node: string, readonly model: string, opts: ZkinferErrorOptions = {}) {
    super('DYNAMIC_SHAPE', `tensor "${tensor}" at ${node} in model "${model}" has a dynamic or unknown shape`, {
      hint: opts.hint ?? 'export the model with fixed input shapes (e.g. batch size 1, no dynamic_axes)',
      details: { tensor, node, model, ...opts.details },
      cause: opts.cause,
    });
  }
}
