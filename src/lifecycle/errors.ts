import { InvalidInputError, ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** Another live process already owns a data directory (docs/network.md, "One process per data folder"). */
export class DataDirLockedError extends ZkinferError {
  override readonly name = 'DataDirLockedError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('DATA_DIR_LOCKED', message, opts);
  }
}

/**
 * A server's `listen` failure as a start-up error (docs/network.md, "Stopping"): a port in use, an address this
 * machine cannot bind, or a host name that does not resolve names the address, with `hint` (which flag to change); any other error is returned as it is.
 */
export function listenError(err: unknown, host: string, port: number, hint: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const whys: Record<string, string> = {
    EADDRINUSE: 'the port is already in use', EACCES: 'permission denied', EADDRNOTAVAIL: 'no such local address',
    // a --host that does not resolve (999.1.1.1, a typo) was an unexpected error, exit 1
    ENOTFOUND: 'no such host', EAI_AGAIN: 'the host name cannot be resolved now',
  };
  const why = code === undefined ? undefined : whys[code];
  if (why === undefined) return err;
  return new InvalidInputError(`cannot listen on ${host}:${port} (${code}): ${why}`, { hint, cause: err });
}
