import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HcloudClient, queryString, userAgent, type HcloudClientOptions } from './client';
import { HcloudError } from './errors';
import { apiError, FakeHetzner, type Reply } from '../../test/support/hcloud/fake-hetzner';

const token = 'a'.repeat(64);
const now = Date.parse('2026-01-01T00:00:00Z');
let fake: FakeHetzner;

beforeEach(async () => {
  fake = await FakeHetzner.start();
});
afterEach(async () => {
  await fake.close();
});

/** A client on the fake whose sleeps return at once and are recorded. */
function clientFor(overrides: Partial<HcloudClientOptions> = {}) {
  const sleeps: number[] = [];
  const client = new HcloudClient({
    endpoint: fake.url,
    token,
    now: () => now,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

const okBody = {
  ssh_keys: [],
  meta: { pagination: { page: 1, per_page: 50, previous_page: null, next_page: null, last_page: 1, total_entries: 0 } },
};
const ok: Reply = { status: 200, body: okBody };

async function failure(promise: Promise<unknown>): Promise<HcloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HcloudError);
  return error as HcloudError;
}

describe('HcloudClient requests', () => {
  it('sends the token, JSON and its User-Agent, and returns the parsed answer', async () => {
    fake.on('POST', '/ssh_keys', { status: 201, body: { ssh_key: { id: 1 } } });
    const { client } = clientFor();
    const answer = await client.request<{ ssh_key: { id: number } }>('POST', '/ssh_keys', {
      body: { name: 'k', public_key: 'ssh-ed25519 AAAA' },
    });
    expect(answer).toEqual({ ssh_key: { id: 1 } });
    const [sent] = fake.requests;
    expect(sent?.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers['user-agent']).toBe(userAgent);
    expect(userAgent).toMatch(/^personal-cloud\/\d+\.\d+\.\d+/);
    expect(sent?.body).toEqual({ name: 'k', public_key: 'ssh-ed25519 AAAA' });
  });

  it('accepts an endpoint with a trailing slash and a custom User-Agent', async () => {
    fake.on('GET', '/pricing', { status: 200, body: { pricing: {} } });
    const { client } = clientFor({ endpoint: `${fake.url}/`, userAgent: 'personal-cloud/test bench' });
    await client.request('GET', '/pricing');
    expect(fake.requests[0]?.path).toBe('/pricing');
    expect(fake.requests[0]?.headers['user-agent']).toBe('personal-cloud/test bench');
  });

  it('sends through an injected fetch', async () => {
    fake.on('GET', '/pricing', { status: 200, body: { pricing: {} } });
    const urls: string[] = [];
    const { client } = clientFor({
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await client.request('GET', '/pricing', { query: { x: 1 } });
    expect(urls).toEqual([`${fake.url}/pricing?x=1`]);
  });

  it('resolves a 204 with undefined', async () => {
    fake.on('DELETE', '/ssh_keys/1', { status: 204 });
    const { client } = clientFor();
    await expect(client.request('DELETE', '/ssh_keys/1')).resolves.toBeUndefined();
  });

  it('repeats array query parameters and percent-encodes label selectors', async () => {
    fake.on('GET', '/actions', { status: 200, body: { actions: [] } });
    fake.on('GET', '/servers', ok);
    const { client } = clientFor();
    await client.request('GET', '/actions', { query: { id: [1, 2, 3] } });
    await client.request('GET', '/servers', {
      query: { label_selector: 'cluster=prod,role in (a,b),!gone', name: undefined, page: 2 },
    });
    expect(fake.requests[0]?.rawQuery).toBe('id=1&id=2&id=3');
    expect(fake.requests[1]?.rawQuery).toBe('label_selector=cluster%3Dprod%2Crole%20in%20(a%2Cb)%2C!gone&page=2');
    expect(fake.requests[1]?.query.get('label_selector')).toBe('cluster=prod,role in (a,b),!gone');
  });

  it('builds query strings without undefined or null values', () => {
    expect(queryString({ a: undefined, b: null, c: [] })).toBe('');
    expect(queryString({ status: ['running', 'off'], x: true })).toBe('?status=running&status=off&x=true');
  });

  it('reports every send, retries included, to onRequest with the query in the path', async () => {
    fake.on('GET', '/servers', [apiError(503, 'unavailable'), ok]);
    const seen: unknown[] = [];
    const { client } = clientFor({ onRequest: (r) => seen.push(r) });
    await client.request('GET', '/servers', { query: { name: 'a' } });
    expect(seen).toEqual([
      { method: 'GET', path: '/servers?name=a', body: undefined },
      { method: 'GET', path: '/servers?name=a', body: undefined },
    ]);
  });

  it('exposes the rate-limit headers last seen', async () => {
    fake.on('GET', '/servers', {
      ...ok,
      headers: { 'RateLimit-Limit': '3600', 'RateLimit-Remaining': '3597', 'RateLimit-Reset': '1767225603' },
    });
    const { client } = clientFor();
    expect(client.rateLimit).toBeUndefined();
    await client.request('GET', '/servers');
    expect(client.rateLimit).toEqual({ limit: 3600, remaining: 3597, reset: 1767225603 });
  });

  it('fails on a 2xx answer that is not JSON, without retrying', async () => {
    fake.on('GET', '/servers', { status: 200, rawBody: '<html>proxy</html>' });
    const { client } = clientFor();
    const error = await failure(client.request('GET', '/servers'));
    expect(error.code).toBe('invalid_response');
    expect(error.message).toContain('HCLOUD_ENDPOINT');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('HcloudClient retries', () => {
  it.each([
    ['429 rate_limit_exceeded', apiError(429, 'rate_limit_exceeded')],
    ['500 server_error', apiError(500, 'server_error')],
    ['502 from a proxy, without a JSON body', { status: 502, rawBody: '<html>Bad Gateway</html>' } as Reply],
    ['503 unavailable', apiError(503, 'unavailable')],
    ['504 timeout', apiError(504, 'timeout')],
    ['409 conflict', apiError(409, 'conflict')],
    ['423 locked', apiError(423, 'locked')],
  ])('retries a GET answered %s, then succeeds', async (_name, reply) => {
    fake.on('GET', '/ssh_keys', [reply, ok]);
    const { client, sleeps } = clientFor();
    await expect(client.request('GET', '/ssh_keys')).resolves.toEqual(okBody);
    expect(fake.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it.each([
    ['PUT', '/servers/1', { name: 'x' }],
    ['POST', '/servers/1/actions/poweron', undefined],
  ] as const)('retries a %s answered 503', async (method, path, body) => {
    fake.on(method, path, [apiError(503, 'unavailable'), { status: 200, body: { done: true } }]);
    const { client } = clientFor();
    await expect(client.request(method, path, { body })).resolves.toEqual({ done: true });
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry 422, 404, 423 protected or 409 uniqueness_error', async () => {
    fake.on('GET', '/a', apiError(422, 'invalid_input'));
    fake.on('GET', '/b', apiError(404, 'not_found'));
    fake.on('GET', '/c', apiError(423, 'protected'));
    fake.on('GET', '/d', apiError(409, 'uniqueness_error'));
    const { client, sleeps } = clientFor();
    for (const path of ['/a', '/b', '/c', '/d']) await failure(client.request('GET', path));
    expect(fake.requests).toHaveLength(4);
    expect(sleeps).toEqual([]);
  });

  it('gives up after maxAttempts with the last HcloudError, backing off with full jitter', async () => {
    fake.on('GET', '/servers', apiError(503, 'unavailable', 'service unavailable'));
    const { client, sleeps } = clientFor();
    const error = await failure(client.request('GET', '/servers'));
    expect(fake.requests).toHaveLength(6);
    // random() = 0.5 of ceilings 250, 500, 1000, 2000, 4000
    expect(sleeps).toEqual([125, 250, 500, 1_000, 2_000]);
    expect(error).toMatchObject({
      status: 503,
      code: 'unavailable',
      method: 'GET',
      path: '/servers',
      attempts: 6,
      apiMessage: 'service unavailable',
    });
    expect(error.message).toBe(
      'the Hetzner API failed GET /servers after 6 attempts (503 unavailable: service unavailable): retry later (https://status.hetzner.com)',
    );
  });

  it('honours a smaller maxAttempts and other backoff numbers', async () => {
    fake.on('GET', '/servers', apiError(500, 'server_error'));
    const { client, sleeps } = clientFor({
      retry: { maxAttempts: 3, baseDelayMs: 10, factor: 3, maxDelayMs: 50 },
      random: () => 0.999,
    });
    await failure(client.request('GET', '/servers'));
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([9, 29]);
  });

  it('waits until RateLimit-Reset after a 429', async () => {
    const reset = now / 1000 + 5;
    fake.on('GET', '/servers', [
      apiError(
        429,
        'rate_limit_exceeded',
        'limit reached',
        {},
        { 'RateLimit-Limit': '3600', 'RateLimit-Remaining': '0', 'RateLimit-Reset': String(reset) },
      ),
      ok,
    ]);
    const { client, sleeps } = clientFor();
    await client.request('GET', '/servers');
    expect(sleeps).toEqual([5_000]);
    expect(client.rateLimit).toEqual({ limit: 3600, remaining: 0, reset });
  });

  it('caps the wait for a far RateLimit-Reset, and never retries a 429 at once', async () => {
    fake.on('GET', '/far', [
      apiError(429, 'rate_limit_exceeded', 'x', {}, { 'RateLimit-Reset': String(now / 1000 + 3_000) }),
      ok,
    ]);
    fake.on('GET', '/past', [
      apiError(429, 'rate_limit_exceeded', 'x', {}, { 'RateLimit-Reset': String(now / 1000 - 10) }),
      ok,
    ]);
    fake.on('GET', '/none', [apiError(429, 'rate_limit_exceeded'), ok]);
    const { client, sleeps } = clientFor({ retry: { maxRateLimitWaitMs: 30_000 } });
    await client.request('GET', '/far');
    await client.request('GET', '/past');
    await client.request('GET', '/none');
    expect(sleeps).toEqual([30_000, 1_000, 1_000]);
  });

  it('retries a GET whose connection dropped', async () => {
    fake.on('GET', '/servers', [{ drop: true }, ok]);
    const { client } = clientFor();
    await client.request('GET', '/servers');
    expect(fake.requests).toHaveLength(2);
  });

  it('retries a GET that timed out', async () => {
    fake.on('GET', '/servers', [{ hang: true }, ok]);
    const { client } = clientFor({ requestTimeoutMs: 100 });
    await client.request('GET', '/servers');
    expect(fake.requests).toHaveLength(2);
  });
});

describe('HcloudClient and POSTs without an answer', () => {
  const created = { status: 201, body: { ssh_key: { id: 7, name: 'k' } } } as const;

  it('throws an outcome-unknown error for a dropped POST without recover, sending it once', async () => {
    fake.on('POST', '/ssh_keys', [{ drop: true }, created]);
    const { client } = clientFor();
    const error = await failure(client.request('POST', '/ssh_keys', { body: { name: 'k' } }));
    expect(error).toMatchObject({
      code: 'connection_reset',
      outcomeUnknown: true,
      status: undefined,
      method: 'POST',
      path: '/ssh_keys',
    });
    expect(error.message).toMatch(
      /^no answer from the Hetzner API for POST \/ssh_keys .*may or may not have been carried out/,
    );
    expect(fake.calls('POST', '/ssh_keys')).toHaveLength(1);
  });

  it('throws an outcome-unknown error for a POST that timed out without recover', async () => {
    fake.on('POST', '/servers/1/actions/poweron', { hang: true });
    const { client } = clientFor({ requestTimeoutMs: 100 });
    const error = await failure(client.request('POST', '/servers/1/actions/poweron'));
    expect(error).toMatchObject({ code: 'request_timeout', outcomeUnknown: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('uses what recover finds instead of sending the POST again', async () => {
    fake.on('POST', '/ssh_keys', [{ drop: true }, created]);
    const { client } = clientFor();
    let lookups = 0;
    const answer = await client.request('POST', '/ssh_keys', {
      body: { name: 'k' },
      recover: async () => {
        lookups++;
        return { ssh_key: { id: 99, name: 'k' } };
      },
    });
    expect(answer).toEqual({ ssh_key: { id: 99, name: 'k' } });
    expect(lookups).toBe(1);
    expect(fake.calls('POST', '/ssh_keys')).toHaveLength(1);
  });

  it('sends the POST exactly once more when recover finds nothing', async () => {
    fake.on('POST', '/ssh_keys', [{ drop: true }, created]);
    const { client } = clientFor();
    let lookups = 0;
    const answer = await client.request('POST', '/ssh_keys', {
      body: { name: 'k' },
      recover: async () => {
        lookups++;
        return undefined;
      },
    });
    expect(answer).toEqual(created.body);
    expect(lookups).toBe(1);
    expect(fake.calls('POST', '/ssh_keys')).toHaveLength(2);
  });

  it('looks again when the resent POST finds its name taken (the lost one made it after all)', async () => {
    fake.on('POST', '/ssh_keys', [
      { drop: true },
      apiError(409, 'uniqueness_error', 'name is already used', { fields: [{ name: 'name' }] }),
    ]);
    const { client } = clientFor();
    const found = [undefined, { ssh_key: { id: 7, name: 'k' } }];
    const answer = await client.request('POST', '/ssh_keys', {
      body: { name: 'k' },
      recover: async () => found.shift(),
    });
    expect(answer).toEqual({ ssh_key: { id: 7, name: 'k' } });
    expect(fake.calls('POST', '/ssh_keys')).toHaveLength(2);
  });

  it('reports the clash when the name is taken by something recover does not recognise', async () => {
    fake.on('POST', '/ssh_keys', [
      { drop: true },
      apiError(409, 'uniqueness_error', 'name is already used', { fields: [{ name: 'name' }] }),
    ]);
    const { client } = clientFor();
    const error = await failure(
      client.request('POST', '/ssh_keys', { body: { name: 'k' }, recover: async () => undefined }),
    );
    expect(error.code).toBe('uniqueness_error');
  });

  it('looks for the result of a POST answered 504 before resending it', async () => {
    fake.on('POST', '/ssh_keys', [apiError(504, 'timeout'), created]);
    const { client } = clientFor();
    const answer = await client.request('POST', '/ssh_keys', {
      body: { name: 'k' },
      recover: async () => ({ ssh_key: { id: 3, name: 'k' } }),
    });
    expect(answer).toEqual({ ssh_key: { id: 3, name: 'k' } });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a POST whose connection was refused: it never left', async () => {
    const closedPort = await unusedPort();
    const { client, sleeps } = clientFor({ endpoint: `http://127.0.0.1:${closedPort}/v1`, retry: { maxAttempts: 3 } });
    const error = await failure(client.request('POST', '/ssh_keys', { body: { name: 'k' } }));
    expect(error).toMatchObject({ code: 'connection_refused', outcomeUnknown: false, attempts: 3 });
    expect(sleeps).toHaveLength(2);
    expect(error.message).toBe(
      `could not reach the Hetzner API at http://127.0.0.1:${closedPort}/v1 after 3 attempts for POST /ssh_keys (connection_refused: ${error.apiMessage}): check HCLOUD_ENDPOINT and the network`,
    );
  });
});

describe('HcloudClient DELETE', () => {
  it('counts a 404 after a lost answer as done', async () => {
    fake.on('DELETE', '/servers/1', [{ drop: true }, apiError(404, 'not_found')]);
    const { client } = clientFor();
    await expect(client.request('DELETE', '/servers/1')).resolves.toBeUndefined();
    expect(fake.requests).toHaveLength(2);
  });

  it('counts a 404 after a 500 as done: the 500 may have deleted it', async () => {
    fake.on('DELETE', '/servers/1', [apiError(500, 'server_error'), apiError(404, 'not_found')]);
    const { client } = clientFor();
    await expect(client.request('DELETE', '/servers/1')).resolves.toBeUndefined();
  });

  it('reports a 404 on the first try: the caller asked for something that is not there', async () => {
    fake.on('DELETE', '/servers/1', apiError(404, 'not_found', 'server with ID 1 not found'));
    const { client } = clientFor();
    const error = await failure(client.request('DELETE', '/servers/1'));
    expect(error.code).toBe('not_found');
  });

  it('reports a 404 after a 503: that attempt did nothing', async () => {
    fake.on('DELETE', '/servers/1', [
      apiError(503, 'unavailable'),
      apiError(404, 'not_found', 'server with ID 1 not found'),
    ]);
    const { client } = clientFor();
    const error = await failure(client.request('DELETE', '/servers/1'));
    // The 404 itself, after the retry: not the 503 it followed, and not "done".
    expect(error).toMatchObject({ status: 404, code: 'not_found', attempts: 2 });
    expect(error.message).toContain('server with ID 1 not found');
    expect(fake.requests).toHaveLength(2);
  });
});

/** A port nothing listens on: bound, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
