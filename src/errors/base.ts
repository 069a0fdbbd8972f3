/** What every zkinfer error can carry besides its message. */
export type ZkinferErrorOptions = { hint?: string; details?: Record<string, unknown>; cause?: unknown };

/** Base class of every error zkinfer raises on purpose: a short message, optional details, and what to do. */
export class ZkinferError extends Error {
  override readonly name: string = 'ZkinferError';
  /** Stable machine-readable code, e.g. `UNSUPPORTED_OP`. */
  readonly code: string;
  /** What the user should do about it. */
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, opts: ZkinferErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  /** Message plus the hint, for printing to a person. */
  describe(): string {
    return this.hint ? `${this.message}\n  → ${this.hint}` : this.message;
  }
}

/** A user-supplied value (flag, file, JSON field) is invalid. */
export class InvalidInputError extends ZkinferError {
  override readonly name = 'InvalidInputError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('INVALID_INPUT', message, opts);
  }
}
