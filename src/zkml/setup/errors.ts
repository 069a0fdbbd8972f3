import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** Groth16 setup failed: a bad or too-small powers-of-tau file, an unreadable r1cs, or a key that does not check. */
export class SetupError extends ZkinferError {
  override readonly name = 'SetupError';
  constructor(code: 'PTAU_INVALID' | 'PTAU_TOO_SMALL' | 'PTAU_NOT_PREPARED' | 'PTAU_NOT_CEREMONY' | 'R1CS_INVALID' | 'SETUP_FAILED', message: string,
    opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
