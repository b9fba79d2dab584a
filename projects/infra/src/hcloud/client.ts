import packageJson from '../../../../package.json' with { type: 'json' };
import { ActionWaiter, type PollPolicy, type WaitOptions } from './action-waiter';
import { realSleep, type Now, type Sleep } from './clock';
import { HcloudError } from './errors';
import { paginate, type Query } from './pagination';
import { get as getActions, type Action } from './resources/actions';
import {
  decideRetry,
  defaultRetryPolicy,
  mayHaveBeenCarriedOut,
  settledByEarlierAttempt,
  type AttemptFailure,
  type RetryPolicy,
} from './retry-policy';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HcloudClientOptions {
  /** Base URL including the version, e.g. https://api.hetzner.cloud/v1 (see resolveEndpoint). */
  endpoint: string;
  token: string;
  fetch?: typeof globalThis.fetch;
  now?: Now;
  sleep?: Sleep;
  /** Uniform in [0, 1): the jitter of retry delays. */
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Poll timing of the client's action waiter. */
  actionPolling?: Partial<PollPolicy>;
  /** Longest time one send may take before it counts as unanswered. */
  requestTimeoutMs?: number;
  userAgent?: string;
  /** Called before every send, retries included: `path` includes the query string. */
  onRequest?: (request: { method: HttpMethod; path: string; body: unknown }) => void;
}

export interface RequestOptions<T> {
  query?: Query;
  body?: unknown;
  /**
   * For a POST that creates something: finds what it would have created (by name and labels) and
   * returns it in the shape of the POST's answer, or undefined. With it, a POST that got no answer
   * is looked up and then, if nothing was made, sent again; without it, such a POST fails with an
   * outcome-unknown HcloudError rather than risk making a second resource.
   */
  recover?: () => Promise<T | undefined>;
}

/** The `RateLimit-*` headers of the latest answer: requests per hour, left, and the unix time (s) of full recovery. */
export interface RateLimit {
  limit: number;
  remaining: number;
  reset: number;
}

export const userAgent = `personal-cloud/${packageJson.version}`;

/** A request that failed once, with what the retry policy needs to judge it. */
interface FailedSend {
  ok: false;
  error: HcloudError;
  failure: AttemptFailure;
}

/**
 * The Hetzner Cloud API over `fetch`: auth, JSON, error mapping, retries, pagination and the shared
 * action waiter. Resource operations live in `resources/*` as functions taking a client.
 */
export class HcloudClient {
  readonly endpoint: string;
  /** One per client so every task's waits share the same batched polls. */
  readonly actionWaiter: ActionWaiter;
  private readonly token: string;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly now: Now;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly retryPolicy: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly userAgent: string;
  private readonly onRequest: HcloudClientOptions['onRequest'];
  private lastRateLimit: RateLimit | undefined;

  constructor(options: HcloudClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.retryPolicy = { ...defaultRetryPolicy, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.userAgent = options.userAgent ?? userAgent;
    this.onRequest = options.onRequest;
    this.actionWaiter = new ActionWaiter({
      fetchActions: (ids) => getActions(this, ids),
      now: this.now,
      sleep: this.sleep,
      ...(options.actionPolling ? { policy: options.actionPolling } : {}),
    });
  }

  /** The rate-limit headers last seen, or undefined before the first answer that had them. */
  get rateLimit(): RateLimit | undefined {
    return this.lastRateLimit && { ...this.lastRateLimit };
  }

  /**
   * One API call, retried per the retry policy. Resolves with the parsed JSON answer (undefined for
   * 204). A DELETE resolves with undefined as well when a retry finds the resource already gone.
   */
  request<T>(method: 'DELETE', path: string, options?: RequestOptions<T>): Promise<T | undefined>;
  request<T>(method: HttpMethod, path: string, options?: RequestOptions<T>): Promise<T>;
  async request<T>(method: HttpMethod, path: string, options: RequestOptions<T> = {}): Promise<T | undefined> {
    const { query, body, recover } = options;
    // Set once a send may have been carried out although it failed; later answers are read in its light.
    let earlierMayHaveWorked = false;
    for (let attempt = 1; ; attempt++) {
      const sent = await this.send(method, path, query, body);
      if (sent.ok) return sent.value as T;
      const { error, failure } = sent;

      if (earlierMayHaveWorked) {
        const settled = settledByEarlierAttempt(failure, method);
        // A DELETE that finds nothing after a lost answer: the lost one deleted it. A first-try 404
        // is still an error, because then the caller's idea of what exists is wrong.
        if (settled === 'deleted') return undefined;
        if (settled === 'maybe-created' && recover) {
          const found = await recover();
          if (found !== undefined) return found;
        }
      }

      const decision = decideRetry(
        failure,
        { method, attempt, canRecover: recover !== undefined, nowMs: this.now(), random: this.random },
        this.retryPolicy,
      );
      if (decision.kind === 'give-up') throw error.afterAttempts(attempt);
      earlierMayHaveWorked ||= mayHaveBeenCarriedOut(failure);
      await this.sleep(decision.delayMs);
      if (decision.recoverFirst && recover) {
        const found = await recover();
        if (found !== undefined) return found;
      }
    }
  }

  /** Every item of a list (`key`: `servers`, `networks`, …) across pages of 50. */
  paginate<T>(path: string, key: string, query: Query = {}): AsyncGenerator<T, void, undefined> {
    return paginate<T>((pageQuery) => this.request('GET', path, { query: pageQuery }), path, key, query);
  }

  /** `paginate`, collected. */
  async listAll<T>(path: string, key: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this.paginate<T>(path, key, query)) items.push(item);
    return items;
  }

  /** Waits on the shared action waiter; see ActionWaiter.waitFor. */
  waitForActions(actions: Action | readonly Action[], options?: WaitOptions): Promise<Action[]> {
    return this.actionWaiter.waitFor(actions, options);
  }

  private async send(
    method: HttpMethod,
    path: string,
    query: Query | undefined,
    body: unknown,
  ): Promise<{ ok: true; value: unknown } | FailedSend> {
    const target = path + queryString(query);
    this.onRequest?.({ method, path: target, body });
    const where = { method, path: target, endpoint: this.endpoint };
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(this.endpoint + target, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'User-Agent': this.userAgent,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      this.noteRateLimit(response.headers);
      text = await response.text();
    } catch (cause) {
      return noAnswer(cause, where);
    }

    const parsed = parseJson(text);
    if (response.ok) {
      if (parsed.ok) return { ok: true, value: parsed.value };
      const error = new HcloudError({
        ...where,
        status: response.status,
        code: 'invalid_response',
        apiMessage: `the body is not JSON: ${text.slice(0, 80)}`,
      });
      // The call worked but its answer is unreadable: retrying could do it twice, and repeating a GET would not fix the server.
      return { ok: false, error, failure: { kind: 'response', status: response.status, code: 'invalid_response' } };
    }
    const envelope = (parsed.ok ? parsed.value : undefined) as
      | { error?: { code?: unknown; message?: unknown; details?: unknown } }
      | undefined;
    const code = typeof envelope?.error?.code === 'string' ? envelope.error.code : codeForStatus(response.status);
    const apiMessage =
      typeof envelope?.error?.message === 'string' ? envelope.error.message : text.slice(0, 200) || response.statusText;
    const details = envelope?.error?.details;
    const error = new HcloudError({
      ...where,
      status: response.status,
      code,
      apiMessage,
      details: details && typeof details === 'object' ? (details as Record<string, unknown>) : null,
    });
    const reset = Number(response.headers.get('ratelimit-reset') ?? NaN);
    return {
      ok: false,
      error,
      failure: {
        kind: 'response',
        status: response.status,
        code,
        rateLimitReset: Number.isFinite(reset) ? reset : undefined,
      },
    };
  }

  private noteRateLimit(headers: Headers): void {
    const limit = Number(headers.get('ratelimit-limit') ?? NaN);
    const remaining = Number(headers.get('ratelimit-remaining') ?? NaN);
    const reset = Number(headers.get('ratelimit-reset') ?? NaN);
    if ([limit, remaining, reset].every(Number.isFinite)) this.lastRateLimit = { limit, remaining, reset };
  }
}

/**
 * `?a=1&id=1&id=2`: arrays repeat the key, undefined and null are left out. Values are percent-encoded
 * (RFC 3986), so a label selector `k in (a,b)` arrives intact, space as %20 rather than `+`.
 */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value)
      ? (value as ReadonlyArray<string | number>)
      : [value as string | number | boolean];
    for (const v of values) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The code Hetzner documents for a status, for answers without an error body (e.g. a proxy's 502 page). */
function codeForStatus(status: number): string {
  const known: Record<number, string> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    423: 'locked',
    429: 'rate_limit_exceeded',
    500: 'server_error',
    502: 'bad_gateway',
    503: 'unavailable',
    504: 'timeout',
  };
  return known[status] ?? `http_${status}`;
}

/**
 * A send that got no answer. Refused connections and failed name lookups never carried the request,
 * so they are safe to repeat; anything later (reset, closed socket, timeout) may have been carried out.
 */
function noAnswer(cause: unknown, where: { method: string; path: string; endpoint: string }): FailedSend {
  const code = errorCode(cause);
  const notSent: Record<string, string> = {
    ECONNREFUSED: 'connection_refused',
    ENOTFOUND: 'dns_failure',
    EAI_AGAIN: 'dns_failure',
    UND_ERR_CONNECT_TIMEOUT: 'connect_timeout',
    EHOSTUNREACH: 'unreachable',
    ENETUNREACH: 'unreachable',
  };
  const timedOut =
    (cause as { name?: unknown } | undefined)?.name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT';
  const ours = (code && notSent[code]) ?? (timedOut ? 'request_timeout' : 'connection_reset');
  const sent = !(code && notSent[code]);
  const message = [code, innermostMessage(cause)].filter(Boolean).join(' ');
  return {
    ok: false,
    error: new HcloudError({ ...where, code: ours, apiMessage: message, outcomeUnknown: sent, cause }),
    failure: { kind: 'no-response', sent },
  };
}

/** The system error code under undici's `TypeError: fetch failed` (possibly an AggregateError of several addresses). */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const candidate = e as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string') return candidate.code;
    const first = candidate.errors?.[0] as { code?: unknown } | undefined;
    if (typeof first?.code === 'string') return first.code;
    e = candidate.cause;
  }
  return undefined;
}

function innermostMessage(error: unknown): string {
  let message = '';
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const candidate = e as { message?: unknown; cause?: unknown };
    if (typeof candidate.message === 'string' && candidate.message) message = candidate.message;
    e = candidate.cause;
  }
  return message;
}
