import { ZkinferError } from '../../errors/base.js';

/** Input data cannot be turned into a witness: wrong shape, not a finite number, or outside the circuit's range. */
export class WitnessInputError extends ZkinferError {
  override readonly name = 'WitnessInputError';
  constructor(code: 'INPUT_SHAPE' | 'INPUT_NOT_FINITE' | 'INPUT_OUT_OF_RANGE' | 'INPUT_FORMAT' | 'WITNESS_FAILED', message: string,
    opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, opts);
  }
}
