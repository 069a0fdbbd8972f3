import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** The model cannot be quantized at the requested scale (values too wide for the field, bad calibration data). */
export class QuantizeError extends ZkinferError {
  override readonly name = 'QuantizeError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('QUANTIZE', message, opts);
  }
}

/**
 * The calibration data puts an op's input outside the domain its circuit is built for (Tan near a pole, Log of a value
 * ≤ 0): docs/zkml-compile.md "Tan" and "Log". Not a QuantizeError, so the scale search does not skip past it.
 */
export class OpDomainError extends ZkinferError {
  override readonly name = 'OpDomainError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('OP_DOMAIN', message, opts);
  }
}
