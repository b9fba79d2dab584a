/**
 * Which failed requests are sent again, and after how long. Pure: the client feeds it one failed
 * attempt and gets a decision back, so every rule here is tested without a network or a clock.
 */

export interface RetryPolicy {
  /** Sends per request, the first included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; the ceiling grows by `factor` per retry up to `maxDelayMs`. */
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Longest wait for `RateLimit-Reset`: the reset is when the whole hourly budget is back, which can be an hour away. */
  maxRateLimitWaitMs: number;
  /** Shortest wait after a 429: the budget refills one request a second, so sooner only earns another 429. */
  minRateLimitWaitMs: number;
}

/**
 * Six sends spread over at most 0.25+0.5+1+2+4 = 7.75 s of backoff: long enough to ride out a
 * deploy-time 503 or a lock held by a short action, short enough that a real outage fails the run
 * within seconds with the API's own error.
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  factor: 2,
  maxDelayMs: 8_000,
  maxRateLimitWaitMs: 60_000,
  minRateLimitWaitMs: 1_000,
};

/** One failed send, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'response'; status: number; code: string; rateLimitReset?: number | undefined }
  /** No answer. `sent` is false when the connection was never made (refused, DNS), so nothing can have happened. */
  | { kind: 'no-response'; sent: boolean };

export type RetryDecision =
  | { kind: 'give-up'; reason: 'not-retryable' | 'attempts-exhausted' | 'outcome-unknown' }
  /** `recoverFirst`: the failed POST may have been carried out; look for its result before sending it again. */
  | { kind: 'retry'; delayMs: number; recoverFirst: boolean };

export interface RetryContext {
  method: string;
  /** 1 for the first send. */
  attempt: number;
  /** The caller passed `recover` (a lookup of what the POST would have created). */
  canRecover: boolean;
  nowMs: number;
  random: () => number;
}

/**
 * Failures worth sending again: the API said so (429, 409 conflict, 423 locked, 5xx) or nothing
 * came back. `uniqueness_error` (also 409) and `protected` (also 423) are answers, not hiccups, and
 * repeating the request cannot change them.
 */
export function isRetryable(failure: AttemptFailure): boolean {
  return failure.kind === 'no-response' || isTransient(failure.status, failure.code);
}

/** An answer that says "not now" rather than "no": the same request may well work later. */
export function isTransient(status: number, code: string): boolean {
  switch (status) {
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    case 409:
      return code === 'conflict';
    case 423:
      return code === 'locked';
    default:
      return false;
  }
}

/**
 * Whether the server may have done what was asked although the attempt failed: no answer after the
 * request went out, or an internal error / gateway failure / timeout behind the gateway. 503 and the
 * 4xx codes mean the request was turned away before anything happened.
 */
export function mayHaveBeenCarriedOut(failure: AttemptFailure): boolean {
  if (failure.kind === 'no-response') return failure.sent;
  return failure.status === 500 || failure.status === 502 || failure.status === 504;
}

/** GET, PUT and DELETE can be repeated without changing the outcome; POST (create, or start an action) cannot. */
export function isIdempotent(method: string): boolean {
  return method !== 'POST';
}

export function decideRetry(failure: AttemptFailure, ctx: RetryContext, policy: RetryPolicy): RetryDecision {
  if (!isRetryable(failure)) return { kind: 'give-up', reason: 'not-retryable' };
  if (ctx.attempt >= policy.maxAttempts) return { kind: 'give-up', reason: 'attempts-exhausted' };
  const maybeDone = !isIdempotent(ctx.method) && mayHaveBeenCarriedOut(failure);
  // A POST that may have been carried out (no answer, or 500/502/504) is sent again only when a
  // lookup can first tell whether it worked. Otherwise sending it again may make a second server,
  // or turn an attach that worked into a 422 "already attached"; giving up as outcome-unknown
  // lets the caller look at the world again instead.
  if (maybeDone && !ctx.canRecover) return { kind: 'give-up', reason: 'outcome-unknown' };
  const delayMs =
    failure.kind === 'response' && failure.status === 429
      ? rateLimitDelay(failure.rateLimitReset, ctx, policy)
      : backoffDelay(ctx.attempt, policy, ctx.random);
  return { kind: 'retry', delayMs, recoverFirst: maybeDone && ctx.canRecover };
}

/**
 * Full jitter: a uniform wait in [0, min(cap, base × factor^(attempt−1))). Of the usual jitter
 * schemes it spreads clients that failed together the most evenly (their retries do not arrive in
 * waves) and gives the least total work; unlike decorrelated jitter it needs no memory of the
 * previous delay, so the decision stays a pure function of the attempt number.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * After a 429, wait until `RateLimit-Reset` (a unix time in seconds), capped at
 * `maxRateLimitWaitMs`. Never less than `minRateLimitWaitMs` nor the ordinary backoff, so a reset
 * that is missing, unparsable or already past does not turn into a burst of immediate retries.
 */
export function rateLimitDelay(
  resetUnixSeconds: number | undefined,
  ctx: Pick<RetryContext, 'attempt' | 'nowMs' | 'random'>,
  policy: RetryPolicy,
): number {
  const floor = Math.max(policy.minRateLimitWaitMs, backoffDelay(ctx.attempt, policy, ctx.random));
  const untilReset =
    resetUnixSeconds !== undefined && Number.isFinite(resetUnixSeconds) ? resetUnixSeconds * 1000 - ctx.nowMs : 0;
  return Math.min(policy.maxRateLimitWaitMs, Math.max(floor, Math.ceil(untilReset)));
}

/**
 * What a failure means when an earlier send of the same request may already have worked:
 * a DELETE answered 404 found the resource gone, so the delete is done; a POST answered
 * uniqueness_error found its name taken, most likely by the lost create, so look it up.
 */
export function settledByEarlierAttempt(
  failure: AttemptFailure,
  method: string,
): 'deleted' | 'maybe-created' | undefined {
  if (failure.kind !== 'response') return undefined;
  if (method === 'DELETE' && failure.status === 404) return 'deleted';
  if (method === 'POST' && failure.status === 409 && failure.code === 'uniqueness_error') return 'maybe-created';
  return undefined;
}
