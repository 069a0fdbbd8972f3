import type { Redis } from 'ioredis';
import type { RateLimit, RateLimiter } from './rate-limit.js';
import type { ReplaySet } from './signature.js';
import { UnavailableError } from '../errors.js';

/** A Redis failure answers 503 (the caller retries), never a silent pass: no request is admitted unchecked. */
export async function shared<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (cause) {
    throw new UnavailableError(`the API's shared Redis is unreachable, cannot ${what} (${(cause as Error).message})`, { cause, hint: 'retry in a moment; the operator should check the Redis in the validator\'s --redis URL' });
  }
}

/**
 * The API's shared state for N replicas behind one address (docs/api.md, "Replicas"): token buckets and the
 * seen-signature set live in one Redis, so a caller over its limit on one replica is over it on all and a
 * replayed signature is refused by every replica. Clocks come from Redis (TIME), not from each replica.
 */

/** Token bucket in one hash per caller, updated atomically by a script using the Redis server's clock. */
const TAKE = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)`;

export class RedisTokenBuckets implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limit: RateLimit,
    private readonly prefix = 'zkinfer:api:',
  ) {}

  async take(caller: string): Promise<number> {
    const wait = await shared('check the rate limit', () => this.redis.eval(TAKE, 1, `${this.prefix}bucket:${caller}`, String(this.limit.burst), String(this.limit.perSecond)));
    return Number(wait);
  }
}

/** Seen signatures as keys with a TTL until they leave the timestamp window (SET NX: the first claim wins). */
export class RedisReplaySet implements ReplaySet {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'zkinfer:api:',
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  async claim(signature: string, expiresAtS: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresAtS - this.now()) + 1);
    return (await shared('check the replay set', () => this.redis.set(`${this.prefix}sig:${signature}`, '1', 'EX', ttl, 'NX'))) === 'OK';
  }
}
