import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** The model cannot be quantized at the requested scale (values too wide for the field, bad calibration data). */
export class QuantizeError extends ZkinferError {
  override readonly name = 'QuantizeError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('QUANTIZE', message, opts);
  }
}
