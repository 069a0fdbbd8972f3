import { ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** Another live process already owns a data directory (docs/network.md, "One process per data folder"). */
export class DataDirLockedError extends ZkinferError {
  override readonly name = 'DataDirLockedError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('DATA_DIR_LOCKED', message, opts);
  }
}
