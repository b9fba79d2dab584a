import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideRetry,
  defaultRetryPolicy,
  isRetryable,
  mayHaveBeenCarriedOut,
  rateLimitDelay,
  settledByEarlierAttempt,
  type AttemptFailure,
  type RetryContext,
} from './retry-policy';

const policy = defaultRetryPolicy;
const response = (status: number, code: string, rateLimitReset?: number): AttemptFailure => ({
  kind: 'response',
  status,
  code,
  rateLimitReset,
});
const ctx = (overrides: Partial<RetryContext> = {}): RetryContext => ({
  method: 'GET',
  attempt: 1,
  canRecover: false,
  nowMs: 1_000_000,
  random: () => 0.5,
  ...overrides,
});

describe('isRetryable', () => {
  it.each([
    [429, 'rate_limit_exceeded'],
    [500, 'server_error'],
    [502, 'bad_gateway'],
    [503, 'unavailable'],
    [504, 'timeout'],
    [409, 'conflict'],
    [423, 'locked'],
  ])('retries %i %s', (status, code) => {
    expect(isRetryable(response(status, code))).toBe(true);
  });

  it.each([
    [400, 'json_error'],
    [401, 'unauthorized'],
    [403, 'resource_limit_exceeded'],
    [404, 'not_found'],
    [409, 'uniqueness_error'],
    [412, 'resource_unavailable'],
    [422, 'invalid_input'],
    [423, 'protected'],
  ])('does not retry %i %s: repeating cannot change the answer', (status, code) => {
    expect(isRetryable(response(status, code))).toBe(false);
  });

  it('retries when nothing came back', () => {
    expect(isRetryable({ kind: 'no-response', sent: true })).toBe(true);
    expect(isRetryable({ kind: 'no-response', sent: false })).toBe(true);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('is random × min(cap, base × factor^(attempt−1))', () => {
    expect(backoffDelay(1, policy, () => 0.999)).toBe(249);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(250);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(500);
    expect(backoffDelay(5, policy, () => 0.5)).toBe(2_000);
    expect(backoffDelay(6, policy, () => 0.5)).toBe(4_000);
    // capped at maxDelayMs
    expect(backoffDelay(12, policy, () => 0.999)).toBe(7_992);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('stays within [0, ceiling) for any random value', () => {
    for (let attempt = 1; attempt <= 10; attempt++)
      for (const r of [0, 0.1, 0.5, 0.9, 0.999999]) {
        const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        const delay = backoffDelay(attempt, policy, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
  });
});

describe('rateLimitDelay', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const at = { attempt: 1, nowMs: now, random: () => 0.5 };

  it('waits until RateLimit-Reset', () => {
    expect(rateLimitDelay(now / 1000 + 7, at, policy)).toBe(7_000);
  });

  it('caps a far reset at maxRateLimitWaitMs', () => {
    expect(rateLimitDelay(now / 1000 + 3_600, at, policy)).toBe(60_000);
  });

  it('never hammers: a past, missing or garbage reset still waits at least a second', () => {
    expect(rateLimitDelay(now / 1000 - 30, at, policy)).toBe(1_000);
    expect(rateLimitDelay(undefined, at, policy)).toBe(1_000);
    expect(rateLimitDelay(Number.NaN, at, policy)).toBe(1_000);
  });

  it('grows with the attempt when the reset is near', () => {
    expect(rateLimitDelay(now / 1000 + 1, { ...at, attempt: 6 }, policy)).toBe(4_000);
  });
});

describe('decideRetry', () => {
  it('retries a retryable failure with the backoff delay, until attempts run out', () => {
    expect(decideRetry(response(503, 'unavailable'), ctx({ attempt: 2 }), policy)).toEqual({
      kind: 'retry',
      delayMs: 250,
      recoverFirst: false,
    });
    expect(decideRetry(response(503, 'unavailable'), ctx({ attempt: 6 }), policy)).toEqual({
      kind: 'give-up',
      reason: 'attempts-exhausted',
    });
    expect(decideRetry(response(422, 'invalid_input'), ctx(), policy)).toEqual({
      kind: 'give-up',
      reason: 'not-retryable',
    });
  });

  it('uses RateLimit-Reset for 429', () => {
    const decision = decideRetry(response(429, 'rate_limit_exceeded', 1_000 + 12), ctx(), policy);
    expect(decision).toEqual({ kind: 'retry', delayMs: 12_000, recoverFirst: false });
  });

  it('retries idempotent methods after a lost answer', () => {
    for (const method of ['GET', 'PUT', 'DELETE'])
      expect(decideRetry({ kind: 'no-response', sent: true }, ctx({ method }), policy)).toMatchObject({
        kind: 'retry',
        recoverFirst: false,
      });
  });

  it('gives a POST with a lost answer up unless it can recover, and then recovers first', () => {
    const lost: AttemptFailure = { kind: 'no-response', sent: true };
    expect(decideRetry(lost, ctx({ method: 'POST' }), policy)).toEqual({ kind: 'give-up', reason: 'outcome-unknown' });
    expect(decideRetry(lost, ctx({ method: 'POST', canRecover: true }), policy)).toMatchObject({
      kind: 'retry',
      recoverFirst: true,
    });
  });

  it('retries a POST that never left (connection refused) without recovering', () => {
    expect(decideRetry({ kind: 'no-response', sent: false }, ctx({ method: 'POST' }), policy)).toMatchObject({
      kind: 'retry',
      recoverFirst: false,
    });
  });

  it('retries a POST answered 500/504 only when it can look for its result first', () => {
    // An action POST (attach, poweron) that worked behind a 500 would answer a resend with a 422.
    expect(decideRetry(response(500, 'server_error'), ctx({ method: 'POST' }), policy)).toEqual({
      kind: 'give-up',
      reason: 'outcome-unknown',
    });
    expect(decideRetry(response(504, 'timeout'), ctx({ method: 'POST', canRecover: true }), policy)).toMatchObject({
      kind: 'retry',
      recoverFirst: true,
    });
    // 503 and 429 turned the request away: nothing to look for.
    expect(decideRetry(response(503, 'unavailable'), ctx({ method: 'POST', canRecover: true }), policy)).toMatchObject({
      kind: 'retry',
      recoverFirst: false,
    });
  });
});

describe('after an attempt that may have worked', () => {
  it('marks which failures may have been carried out', () => {
    expect(mayHaveBeenCarriedOut({ kind: 'no-response', sent: true })).toBe(true);
    expect(mayHaveBeenCarriedOut({ kind: 'no-response', sent: false })).toBe(false);
    expect(mayHaveBeenCarriedOut(response(504, 'timeout'))).toBe(true);
    expect(mayHaveBeenCarriedOut(response(503, 'unavailable'))).toBe(false);
    expect(mayHaveBeenCarriedOut(response(423, 'locked'))).toBe(false);
  });

  it('reads a DELETE 404 as done and a POST uniqueness_error as a create to look up', () => {
    expect(settledByEarlierAttempt(response(404, 'not_found'), 'DELETE')).toBe('deleted');
    expect(settledByEarlierAttempt(response(409, 'uniqueness_error'), 'POST')).toBe('maybe-created');
    expect(settledByEarlierAttempt(response(404, 'not_found'), 'GET')).toBeUndefined();
    expect(settledByEarlierAttempt(response(409, 'conflict'), 'POST')).toBeUndefined();
  });
});
