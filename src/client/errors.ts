import { ZkinferError } from '../errors/base.js';

/** The validator API answered with an error status. `field` names the offending input field on 400. */
export class ApiRequestError extends ZkinferError {
  override readonly name = 'ApiRequestError';
  readonly status: number;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, opts: { hint?: string; field?: string; details?: Record<string, unknown> } = {}) {
    super(code, `validator answered ${status}: ${message}`, { ...(opts.hint ? { hint: opts.hint } : {}), ...(opts.details ? { details: opts.details } : {}) });
    this.status = status;
    this.field = opts.field;
  }
}

/** The validator could not be reached at all (refused, DNS, reset): nothing was answered. */
export class ValidatorUnreachableError extends ZkinferError {
  override readonly name = 'ValidatorUnreachableError';
  constructor(url: string, cause: unknown) {
    const reason = (cause as { cause?: { code?: string; message?: string } }).cause;
    super('VALIDATOR_UNREACHABLE', `cannot reach the validator API at ${url}${reason?.code ? ` (${reason.code})` : ''}`, {
      hint: 'check the --validator URL and that the validator runs with --api-port (or `zkinfer devnet up`)',
      cause,
    });
  }
}

/** Waiting for an inference took longer than the caller allowed. */
export class WaitTimeoutError extends ZkinferError {
  override readonly name = 'WaitTimeoutError';
  constructor(id: string, timeoutMs: number) {
    super('WAIT_TIMEOUT', `inference ${id} did not finish within ${Math.round(timeoutMs / 1000)} s`, {
      hint: 'wait longer (--timeout), or fetch it later with its id',
    });
  }
}

/** The validator returned data that does not match the API's schema. */
export class ProtocolError extends ZkinferError {
  override readonly name = 'ProtocolError';
  constructor(message: string) {
    super('PROTOCOL', message, { hint: 'is the URL a zkinfer validator API of a compatible version?' });
  }
}

/** A request to the validator did not finish within the caller's timeout, or the caller aborted it. */
export class RequestTimeoutError extends ZkinferError {
  override readonly name = 'RequestTimeoutError';
  constructor(what: string, timeoutMs: number | undefined) {
    super('REQUEST_TIMEOUT', timeoutMs === undefined ? `${what} was aborted` : `${what} did not finish within ${Math.round(timeoutMs / 1000)} s`, {
      hint: 'the validator is slow or unreachable; retry, or allow longer (--timeout)',
    });
  }
}
