import { ZkinferError, type ZkinferErrorOptions } from '../../errors/base.js';

/** Proving failed (backend error, worker crash, or the pool's queue is full). */
export class ProveError extends ZkinferError {
  override readonly name = 'ProveError';
  constructor(code: 'PROVE_FAILED' | 'PROVER_QUEUE_FULL' | 'PROVER_CLOSED' | 'PROVER_UNAVAILABLE', message: string,
    opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
