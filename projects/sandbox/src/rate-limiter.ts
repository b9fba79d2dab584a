// Hetzner's rate limit: a bucket per token holding 3600 requests that refills one per second.
// RateLimit-Reset is the unix time (seconds) at which the bucket will be full again.

export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

export const HETZNER_RATE_LIMIT: RateLimit = { capacity: 3600, refillPerSecond: 1 };

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  reset: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit = HETZNER_RATE_LIMIT) {}

  /** Takes one request from `token`'s bucket, if there is one to take. */
  take(token: string, now: number): RateLimitState {
    const bucket = this.refilled(token, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return this.state(bucket.tokens, now, allowed);
  }

  reset(): void {
    this.buckets.clear();
  }

  private refilled(token: string, now: number) {
    let bucket = this.buckets.get(token);
    if (!bucket) {
      bucket = { tokens: this.limit.capacity, at: now };
      this.buckets.set(token, bucket);
    }
    bucket.tokens = Math.min(
      this.limit.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * this.limit.refillPerSecond,
    );
    bucket.at = now;
    return bucket;
  }

  private state(tokens: number, now: number, allowed: boolean): RateLimitState {
    const secondsToFull = (this.limit.capacity - tokens) / this.limit.refillPerSecond;
    return {
      allowed,
      limit: this.limit.capacity,
      remaining: Math.floor(tokens),
      reset: Math.ceil(now / 1000 + secondsToFull),
    };
  }
}
