import type Database from 'better-sqlite3';
import type { ExternalQueue } from '../validator/external-queue.js';
import { closeRedis, connectRedis, waitForRedis } from '../redis/connection.js';
import type { ApiConfig } from './config.js';
import { QueueInferenceService } from './queue-service.js';
import { RedisDispatcher } from './redis-dispatch.js';
import { RedisInferenceService } from './redis-inferences.js';
import type { InferenceService } from './service.js';

export type ClosableInferences = InferenceService & { close(): void | Promise<void> };

/**
 * Where the API keeps external requests (docs/scale-out.md, "API replicas"): without `redis`, this
 * validator's SQLite queue; with it, the queue shared by every replica in Redis, plus a dispatcher that feeds
 * this validator's share of it into the local queue.
 */
export async function openInferences(config: Pick<ApiConfig, 'redis' | 'redisQueue' | 'maxPending'>, local: { queue: ExternalQueue; db: Database.Database }, log?: (line: string) => void): Promise<ClosableInferences> {
  if (!config.redis) return new QueueInferenceService(local.queue, local.db, { maxPending: config.maxPending });
  const url = config.redis;
  // Submissions and reads fail fast (503); the event stream and the dispatcher's blocking reads wait for Redis.
  let closing = false;
  const keepReconnecting = (): boolean => !closing;
  const producer = connectRedis(url, { failFast: true, name: 'zkinfer-api-queue', keepReconnecting });
  const eventsConn = connectRedis(url, { name: 'zkinfer-api-events', keepReconnecting });
  const workerConn = connectRedis(url, { name: 'zkinfer-api-dispatch', keepReconnecting });
  await waitForRedis(producer, url);
  const service = new RedisInferenceService(producer, eventsConn, { maxPending: config.maxPending, keepS: config.redisQueue.keepS, ...(log ? { log } : {}) });
  const dispatcher = new RedisDispatcher(local.queue, workerConn, config.redisQueue, log);
  await Promise.all([service.ready(), dispatcher.ready()]);
  return {
    submit: (req) => service.submit(req),
    get: (id) => service.get(id),
    list: (opts) => service.list(opts),
    subscribe: (id, listener) => service.subscribe(id, listener),
    async close(): Promise<void> {
      // BullMQ's close waits for Redis; with Redis gone, stop reconnecting, wait at most 2 s, drop the connections.
      closing = true;
      const bounded = (p: Promise<void>): Promise<unknown> => Promise.race([p, new Promise((r) => setTimeout(r, 2000).unref())]);
      await bounded(dispatcher.close());
      await bounded(service.close());
      await Promise.all([producer, eventsConn, workerConn].map(closeRedis));
    },
  };
}
