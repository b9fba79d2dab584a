import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('rate limiter', () => {
  it('holds 3600 requests per token and refills one per second', () => {
    const limiter = new RateLimiter();
    const t0 = 1_000_000_000_000;
    expect(limiter.take('a', t0)).toEqual({ allowed: true, limit: 3600, remaining: 3599, reset: t0 / 1000 + 1 });
    expect(limiter.take('b', t0).remaining).toBe(3599);
    expect(limiter.take('a', t0 + 1000)).toMatchObject({ allowed: true, remaining: 3599 });
  });

  it('refuses when empty and says when the bucket is full again', () => {
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 1 });
    const t0 = 2_000_000_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('a', t0).allowed).toBe(true);
    expect(limiter.take('a', t0)).toEqual({ allowed: false, limit: 3, remaining: 0, reset: t0 / 1000 + 3 });
    expect(limiter.take('a', t0 + 1000)).toMatchObject({ allowed: true, remaining: 0 });
  });
});
