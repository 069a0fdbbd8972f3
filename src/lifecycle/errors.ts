import { InvalidInputError, ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** Another live process already owns a data directory (docs/network.md, "One process per data folder"). */
export class DataDirLockedError extends ZkinferError {
  override readonly name = 'DataDirLockedError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('DATA_DIR_LOCKED', message, opts);
  }
}

/**
 * A server's `listen` failure as a start-up error (docs/network.md, "Stopping"): a port in use, or an address
 * this machine cannot bind, names the address, with `hint` (which flag to change); any other error is returned as it is.
 */
export function listenError(err: unknown, host: string, port: number, hint: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return err;
  const why = code === 'EADDRINUSE' ? 'the port is already in use' : code === 'EACCES' ? 'permission denied' : 'no such local address';
  return new InvalidInputError(`cannot listen on ${host}:${port} (${code}): ${why}`, { hint, cause: err });
}
