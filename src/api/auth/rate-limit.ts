/** Token bucket settings: `burst` tokens at most, refilled at `perSecond`. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/**
 * Takes a submission token for a caller: 0 when allowed, else the seconds until the next token. The
 * in-memory TokenBuckets serve one API process; RedisTokenBuckets (redis-stores.ts) are shared by replicas.
 */
export interface RateLimiter {
  take(caller: string): number | Promise<number>;
}

/**
 * One token bucket per caller. A request takes a token; an empty bucket refuses until refilled. Buckets
 * refill continuously from the elapsed time, so the limit holds for any duration of load (not only the
 * first second).
 */
export class TokenBuckets implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now() / 1000,
    private readonly maxCallers = 100_000,
  ) {}

  /** Take one token for `caller`: 0 when allowed, else the seconds to wait for the next token. */
  take(caller: string, limit: RateLimit = this.limit): number {
    const t = this.now();
    let b = this.buckets.get(caller);
    if (!b) {
      if (this.buckets.size >= this.maxCallers) this.evictFull(t);
      b = { tokens: limit.burst, at: t };
      this.buckets.set(caller, b);
    }
    b.tokens = Math.min(limit.burst, b.tokens + (t - b.at) * limit.perSecond);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return (1 - b.tokens) / limit.perSecond;
  }

  /** Drop buckets that have refilled completely (they are equivalent to new ones). */
  private evictFull(t: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.limit.perSecond >= this.limit.burst) this.buckets.delete(k);
    }
  }
}
