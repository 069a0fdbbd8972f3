import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** The ONNX file could not be read or is not a valid model. */
export class OnnxParseError extends ZkinferError {
  override readonly name = 'OnnxParseError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('ONNX_PARSE', message, opts);
  }
}

/** The model uses an operator (or an operator attribute) the zkML compiler cannot turn into a circuit. */
export class UnsupportedOpError extends ZkinferError {
  override readonly name = 'UnsupportedOpError';
  constructor(readonly op: string, readonly node: string, readonly model: string, why = '', opts: ZkinferErrorOptions = {}) {
    super('UNSUPPORTED_OP', `unsupported ONNX op ${op}${why ? ` (${why})` : ''} at node "${node}" in model "${model}"`, {
      hint: opts.hint ?? 'export the model with supported ops only (see docs/zkml-compile.md for the op table)',
      details: { op, node, model, ...opts.details },
      cause: opts.cause,
    });
  }
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
