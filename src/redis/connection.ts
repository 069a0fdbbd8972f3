import { Redis, type RedisOptions } from 'ioredis';
import { RedisError } from './errors.js';

/**
 * One Redis connection from a `redis://` or `rediss://` (TLS) URL: `redis://[user:password@]host:port/db`
 * (AUTH with the password, ACL user when given). See docs/scale-out.md, "Security".
 */
export interface RedisConnectOptions {
  /** Fail commands at once while disconnected (producers, so callers get 503 instead of a hang). Default false. */
  failFast?: boolean;
  /** Name shown by `CLIENT LIST`. */
  name?: string;
  /**
   * Checked before each reconnect: false stops reconnecting (for shutdown while Redis is gone). Copied into
   * the connections BullMQ duplicates from this one, so it stops theirs too.
   */
  keepReconnecting?: () => boolean;
}

/** Parse and check a Redis URL; throws RedisError naming what is wrong. */
export function parseRedisUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new RedisError('REDIS_URL', `"${redactRedisUrl(url)}" is not a URL`, { cause, hint: 'use redis://HOST:6379/0 (rediss:// for TLS, redis://:PASSWORD@HOST:6379/0 for AUTH)' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new RedisError('REDIS_URL', `Redis URL must start with redis:// or rediss://, got ${u.protocol}//`, { hint: 'use redis://HOST:6379/0' });
  }
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) throw new RedisError('REDIS_URL', `Redis database must be a number (redis://HOST:6379/0), got "/${db}"`);
  return u;
}

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Open a connection (ioredis reconnects by itself after a loss). BullMQ needs maxRetriesPerRequest null. */
export function connectRedis(url: string, opts: RedisConnectOptions = {}): Redis {
  parseRedisUrl(url);
  const o: RedisOptions = {
    maxRetriesPerRequest: opts.failFast ? 1 : null,
    enableOfflineQueue: !opts.failFast,
    retryStrategy: (times) => (opts.keepReconnecting?.() === false ? null : Math.min(200 * times, 2000)),
    ...(opts.name ? { connectionName: opts.name } : {}),
  };
  const r = new Redis(url, o);
  // Errors surface on the commands that fail; without a listener ioredis prints every reconnect attempt.
  r.on('error', () => undefined);
  return r;
}

/** Wait until the connection answers PING, or throw REDIS_UNAVAILABLE after `timeoutMs`. */
export async function waitForRedis(r: Redis, url: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (r.status === 'ready' || r.status === 'connect') {
        await r.ping();
        return;
      }
    } catch (e) {
      last = e;
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new RedisError('REDIS_UNAVAILABLE', `cannot reach Redis at ${redactRedisUrl(url)} within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`, {
    hint: 'start redis-server (or check host, port, password, TLS) and keep it on a private network',
    ...(last ? { cause: last } : {}),
  });
}

/** Close a connection: QUIT when connected, and stop reconnecting in any case (Redis may be gone). */
export async function closeRedis(r: Redis): Promise<void> {
  if (r.status === 'ready') await Promise.race([r.quit().catch(() => undefined), new Promise((res) => setTimeout(res, 1000))]);
  r.disconnect();
}
