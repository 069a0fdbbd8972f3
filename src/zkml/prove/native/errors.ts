import { ZkinferError, type ZkinferErrorOptions } from '../../../errors/base.js';

export type NativeProverErrorCode = 'ZKEY_INVALID' | 'WITNESS_INVALID' | 'NATIVE_PROVER_FAILED';

/** The native Groth16 prover refused a key or witness, or failed while proving. */
export class NativeProverError extends ZkinferError {
  override readonly name = 'NativeProverError';
  constructor(code: NativeProverErrorCode, message: string, opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
