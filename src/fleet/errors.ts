import { ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** A proving-fleet failure: bad worker setup, artifacts that differ from the miner's, a failed job (docs/scale-out.md). */
export class FleetError extends ZkinferError {
  override readonly name = 'FleetError';
  constructor(code: 'FLEET_ARTIFACTS_MISMATCH' | 'FLEET_JOB_INVALID' | 'FLEET_JOB_FAILED' | 'FLEET_RESULT_INVALID', message: string, opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
