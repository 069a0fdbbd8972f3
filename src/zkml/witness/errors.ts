import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** Input data is not EZKL-style JSON, or the circuit rejected it while computing the witness. (Shape and range: InputRangeError.) */
export class WitnessInputError extends ZkinferError {
  override readonly name = 'WitnessInputError';
  constructor(code: 'INPUT_FORMAT' | 'WITNESS_FAILED', message: string,
    opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}

/** A witness tape (docs/zkml-compile.md "Witness tape") that is malformed, for another program, or that cannot be recorded. */
export class WitnessTapeError extends ZkinferError {
  override readonly name = 'WitnessTapeError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('WITNESS_TAPE', message, { hint: 'delete the cached tape (it is re-recorded from witness.json on the next prove)', ...opts });
  }
}
