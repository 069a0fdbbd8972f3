import { ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** An error the external API answers with a specific HTTP status and a JSON body `{error: {code, message, hint, ...}}`. */
export class ApiError extends ZkinferError {
  override readonly name: string = 'ApiError';
  readonly status: number;
  constructor(status: number, code: string, message: string, opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
    this.status = status;
  }
  /** The JSON body sent to the client. */
  toBody(): { error: { code: string; message: string; hint?: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}), ...(this.details ?? {}) } };
  }
}

/** 400: the request body or input does not match the schema; `field` names the offending path. */
export class BadRequestError extends ApiError {
  override readonly name = 'BadRequestError';
  constructor(message: string, opts: ZkinferErrorOptions & { field?: string } = {}) {
    super(400, 'BAD_REQUEST', message, { ...opts, details: { ...(opts.details ?? {}), ...(opts.field !== undefined ? { field: opts.field } : {}) } });
  }
}

/** 401: the caller could not be authenticated (missing/invalid/expired/replayed signature or API key). */
export class UnauthenticatedError extends ApiError {
  override readonly name = 'UnauthenticatedError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super(401, 'UNAUTHENTICATED', message, {
      hint: 'sign the request: x-timestamp (unix seconds), x-origin-ss58 (your hotkey), x-signature (sr25519 over the timestamp, 0x-hex) — or send a valid x-api-key',
      ...opts,
    });
  }
}

/** 403: the caller is authenticated but not allowed (not allow-listed and no validator permit). */
export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super(403, 'FORBIDDEN', message, opts);
  }
}

/** 404: unknown circuit, model or inference id. */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super(404, 'NOT_FOUND', message, opts);
  }
}

/** 429: the caller's token bucket is empty. */
export class RateLimitedError extends ApiError {
  override readonly name = 'RateLimitedError';
  readonly retryAfterS: number;
  constructor(retryAfterS: number) {
    super(429, 'RATE_LIMITED', `rate limit exceeded; retry in ${retryAfterS} s`, {
      hint: 'slow down, or ask the validator operator for a higher limit',
      details: { retry_after_s: retryAfterS },
    });
    this.retryAfterS = retryAfterS;
  }
}

/** 503: the validator cannot take more work right now (queue full, no miner). */
export class UnavailableError extends ApiError {
  override readonly name = 'UnavailableError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super(503, 'UNAVAILABLE', message, { hint: 'retry later', ...opts });
  }
}
