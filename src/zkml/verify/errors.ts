import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** Verification could not be attempted (unreadable proof file, verifier key without metadata for --input, …). */
export class VerifyError extends ZkinferError {
  override readonly name = 'VerifyError';
  constructor(code: 'PROOF_FORMAT' | 'VK_INVALID' | 'NEEDS_METADATA' | 'MIXED_CIRCUITS', message: string,
    opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
