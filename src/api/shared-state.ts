import { closeRedis, connectRedis, waitForRedis } from '../redis/connection.js';
import type { RateLimit } from './auth/rate-limit.js';
import { RedisReplaySet, RedisTokenBuckets } from './auth/redis-stores.js';

/** Rate-limit buckets and the replay set of API replicas in one Redis (docs/api.md, "Replicas"). */
export async function openSharedState(url: string, rateLimit: RateLimit): Promise<{ buckets: RedisTokenBuckets; replay: RedisReplaySet; close(): Promise<void> }> {
  // Fail fast: a request while Redis is down gets 503 instead of hanging.
  const redis = connectRedis(url, { failFast: true, name: 'zkinfer-api' });
  await waitForRedis(redis, url);
  return {
    buckets: new RedisTokenBuckets(redis, rateLimit),
    replay: new RedisReplaySet(redis),
    close: async () => {
      await closeRedis(redis);
    },
  };
}
