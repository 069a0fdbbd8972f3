import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/**
 * A value at the circuit-format boundary (metadata, public-signal layout, proof file) is malformed or does not
 * fit the circuit. See docs/security.md for what each check protects.
 */
export class FormatError extends ZkinferError {
  override readonly name = 'FormatError';
  constructor(code: 'LAYOUT_INVALID' | 'PROOF_FORMAT' | 'INPUT_SHAPE' | 'SIGNAL_NOT_CANONICAL', message: string, opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
