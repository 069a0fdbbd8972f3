import { ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** Redis URL is malformed, or Redis cannot be reached / answered with an error (docs/scale-out.md). */
export class RedisError extends ZkinferError {
  override readonly name = 'RedisError';
  constructor(code: 'REDIS_URL' | 'REDIS_UNAVAILABLE', message: string, opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
  }
}
