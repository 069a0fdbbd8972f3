import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** Input data is not EZKL-style JSON, or the circuit rejected it while computing the witness. (Shape and range: InputRangeError.) */
export class WitnessInputError extends ZkinferError {
  override readonly name = 'WitnessInputError';
  constructor(code: 'INPUT_FORMAT' | 'WITNESS_FAILED', message: string,
    opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
