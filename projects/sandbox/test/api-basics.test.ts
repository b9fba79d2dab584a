// Authentication, routing errors, pagination, filtering and sorting over HTTP.
import { describe, expect, it } from 'vitest';
import { ControllableClock } from '../src/index';
import { describeContract } from './contract';
import { HetznerClient, TOKEN, useSandbox } from './sandbox-fixture';

const fixture = useSandbox();

describe('authentication', () => {
  it('accepts any bearer token of 64 characters', async () => {
    const other = new HetznerClient(fixture.sandbox.url, 'Z'.repeat(64));
    expect((await other.get('/servers')).status).toBe(200);
  });

  it.each([
    ['a short token', `Bearer ${'a'.repeat(63)}`],
    ['a long token', `Bearer ${'a'.repeat(65)}`],
    ['another scheme', `Basic ${'a'.repeat(64)}`],
    ['no header', undefined],
  ])('answers 401 unauthorized to %s', async (_what, header) => {
    const response = await fetch(`${fixture.sandbox.url}/servers`, {
      headers: header ? { Authorization: header } : {},
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe('unauthorized');
  });
});

describe('routing', () => {
  it('answers unknown endpoints with 404 not_found and wrong methods with 405', async () => {
    const { api } = fixture;
    expect(await api.get('/nothing-here')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await api.request('PATCH', '/servers')).toMatchObject({
      status: 405,
      body: { error: { code: 'method_not_allowed' } },
    });
    expect(await api.get('/servers/999')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: 'Server with ID 999 not found' } },
    });
  });

  it('answers malformed JSON with 400 json_error and bad input with 422 invalid_input naming the fields', async () => {
    const { api } = fixture;
    expect(await api.post('/ssh_keys', '{"name": ')).toMatchObject({
      status: 400,
      body: { error: { code: 'json_error' } },
    });
    const bad = await api.post('/servers', { name: 'has space', server_type: 'cpx11' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.details.fields.map((f: any) => f.name).sort()).toEqual(['image', 'name']);
    expect(await api.get('/servers/abc')).toMatchObject({ status: 422, body: { error: { code: 'invalid_input' } } });
  });

  it('serves /__sandbox outside /v1, without authentication', async () => {
    const response = await fetch(fixture.sandbox.url.replace(/\/v1$/, '/__sandbox/stats'));
    expect(response.status).toBe(200);
  });
});

describe('listing', () => {
  it('paginates with meta.pagination and a Link header', async () => {
    const { api } = fixture;
    for (let i = 1; i <= 7; i++)
      expect(
        (
          await api.post('/placement_groups', {
            name: `pg-${i}`,
            type: 'spread',
            labels: { n: String(i), parity: i % 2 ? 'odd' : 'even' },
          })
        ).status,
      ).toBe(201);
    const second = await api.get('/placement_groups?per_page=3&page=2');
    expect(second.body.placement_groups.map((g: any) => g.name)).toEqual(['pg-4', 'pg-5', 'pg-6']);
    expect(second.body.meta.pagination).toEqual({
      page: 2,
      per_page: 3,
      previous_page: 1,
      next_page: 3,
      last_page: 3,
      total_entries: 7,
    });
    const link = second.headers.get('link')!;
    expect(link).toContain(`<${fixture.sandbox.url}/placement_groups?per_page=3&page=1>; rel="prev"`);
    expect(link).toContain(`<${fixture.sandbox.url}/placement_groups?per_page=3&page=3>; rel="next"`);
    expect(link).toContain(`<${fixture.sandbox.url}/placement_groups?per_page=3&page=3>; rel="last"`);

    const first = await api.get('/placement_groups?per_page=3');
    expect(first.body.meta.pagination).toMatchObject({ page: 1, previous_page: null, next_page: 2 });
    expect(first.headers.get('link')).not.toContain('rel="prev"');
    const last = await api.get('/placement_groups?per_page=3&page=3');
    expect(last.body.placement_groups).toHaveLength(1);
    expect(last.body.meta.pagination).toMatchObject({ next_page: null, last_page: 3 });
    expect(last.headers.get('link')).not.toContain('rel="next"');
    const beyond = await api.get('/placement_groups?per_page=3&page=9');
    expect(beyond.body.placement_groups).toEqual([]);
  });

  it('defaults to 25 per page and caps per_page at 50', async () => {
    const { api } = fixture;
    expect((await api.get('/placement_groups')).body.meta.pagination.per_page).toBe(25);
    expect((await api.get('/placement_groups?per_page=500')).body.meta.pagination.per_page).toBe(50);
    expect((await api.get('/placement_groups?per_page=0')).status).toBe(422);
    expect((await api.get('/placement_groups?page=x')).status).toBe(422);
  });

  it('filters by label selector and by name', async () => {
    const { api } = fixture;
    const names = async (query: string) =>
      (await api.get(`/placement_groups?${query}`)).body.placement_groups.map((g: any) => g.name);
    expect(await names(`label_selector=${encodeURIComponent('parity=odd')}`)).toEqual(['pg-1', 'pg-3', 'pg-5', 'pg-7']);
    expect(await names(`label_selector=${encodeURIComponent('parity==even,n!=4')}`)).toEqual(['pg-2', 'pg-6']);
    expect(await names(`label_selector=${encodeURIComponent('n in (1,7),parity')}`)).toEqual(['pg-1', 'pg-7']);
    expect(await names(`label_selector=${encodeURIComponent('n notin (1,2,3,4,5)')}`)).toEqual(['pg-6', 'pg-7']);
    expect(await names(`label_selector=${encodeURIComponent('!parity')}`)).toEqual([]);
    expect(await names('name=pg-3')).toEqual(['pg-3']);
    expect(await names('name=pg')).toEqual([]);
  });

  it('answers an invalid label selector with 422 invalid_input', async () => {
    const answer = await fixture.api.get(`/placement_groups?label_selector=${encodeURIComponent('n in (1,2')}`);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({
      code: 'invalid_input',
      details: { fields: [{ name: 'label_selector' }] },
    });
  });

  it('sorts by id, name and created, ascending or descending', async () => {
    const { api } = fixture;
    const ids = async (sort: string) =>
      (await api.get(`/placement_groups?${sort}`)).body.placement_groups.map((g: any) => g.id);
    expect(await ids('sort=id:desc')).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(await ids('sort=name')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await ids('sort=name:desc')).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(await ids('sort=created:asc')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await api.put('/placement_groups/2', { name: 'zz' });
    expect(await ids('sort=name:desc&per_page=2')).toEqual([2, 7]);
    expect((await api.get('/placement_groups?sort=size')).status).toBe(422);
    expect((await api.get('/placement_groups?sort=name:sideways')).status).toBe(422);
  });
});

describe('rate limit headers', () => {
  // Time stands still for this sandbox, so no refill between the requests moves the figures.
  const clock = new ControllableClock();
  clock.pause();
  const still = useSandbox({ clock: clock.now, onExchange: fixture.recorder.onExchange });

  it('come with every /v1 answer, per token', async () => {
    const token = new HetznerClient(still.sandbox.url, 'r'.repeat(64));
    const first = await token.get('/locations');
    const second = await token.get('/locations');
    expect(first.headers.get('ratelimit-limit')).toBe('3600');
    expect(Number(first.headers.get('ratelimit-remaining'))).toBe(3599);
    expect(Number(second.headers.get('ratelimit-remaining'))).toBe(3598);
    // Full again two requests' worth of refill (2 s) from now.
    expect(Number(second.headers.get('ratelimit-reset'))).toBe(Math.ceil(clock.now() / 1000 + 2));
    expect(TOKEN).toHaveLength(64);
  });
});

describeContract(fixture.recorder);
