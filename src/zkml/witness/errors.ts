import { ZkinferError } from '../../errors/base.js';

/** Input data is not EZKL-style JSON, or the circuit rejected it while computing the witness. (Shape and range: InputRangeError.) */
export class WitnessInputError extends ZkinferError {
  override readonly name = 'WitnessInputError';
  constructor(code: 'INPUT_FORMAT' | 'WITNESS_FAILED', message: string,
    opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, opts);
  }
}
