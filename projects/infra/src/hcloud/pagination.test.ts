import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HcloudClient } from './client';
import { labelSelector, sameLabels } from './labels';
import { listQuery, paginate } from './pagination';
import { FakeHetzner } from '../../test/support/hcloud/fake-hetzner';
import { page } from '../../test/support/hcloud/fixtures';

let fake: FakeHetzner;
let client: HcloudClient;
beforeEach(async () => {
  fake = await FakeHetzner.start();
  client = new HcloudClient({ endpoint: fake.url, token: 't'.repeat(64), sleep: async () => {} });
});
afterEach(async () => {
  await fake.close();
});

/** 120 servers served 50 a page (3 pages), honouring `page` and `per_page`. */
function serveServers(total = 120) {
  const all = Array.from({ length: total }, (_, i) => ({ id: i + 1, name: `s${i + 1}` }));
  fake.on('GET', '/servers', (req) => {
    const perPage = Number(req.query.get('per_page') ?? 25);
    const n = Number(req.query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    return { status: 200, body: page('servers', all.slice((n - 1) * perPage, n * perPage), n, last, perPage) };
  });
  return all;
}

describe('pagination', () => {
  it('iterates every item across 3 pages, asking for 50 a page', async () => {
    const all = serveServers();
    const seen: number[] = [];
    for await (const server of client.paginate<{ id: number }>('/servers', 'servers')) seen.push(server.id);
    expect(seen).toEqual(all.map((s) => s.id));
    expect(fake.requests.map((r) => r.rawQuery)).toEqual([
      'page=1&per_page=50',
      'page=2&per_page=50',
      'page=3&per_page=50',
    ]);
  });

  it('collects with listAll and keeps the filter on every page', async () => {
    serveServers();
    const items = await client.listAll<{ id: number }>('/servers', 'servers', { label_selector: 'cluster=prod' });
    expect(items).toHaveLength(120);
    expect(fake.requests.map((r) => r.query.get('label_selector'))).toEqual([
      'cluster=prod',
      'cluster=prod',
      'cluster=prod',
    ]);
  });

  it('stops after one request when there is one page', async () => {
    serveServers(3);
    expect(await client.listAll('/servers', 'servers')).toHaveLength(3);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops early when the consumer stops', async () => {
    serveServers();
    for await (const server of client.paginate<{ id: number }>('/servers', 'servers')) if (server.id === 10) break;
    expect(fake.requests).toHaveLength(1);
  });

  it('follows next_page even when an answer has no total', async () => {
    const answers = [
      page('servers', [{ id: 1 }], 1, 3),
      page('servers', [{ id: 2 }], 2, 3),
      page('servers', [{ id: 3 }], 3, 3),
    ];
    const fetched: unknown[] = [];
    const items: unknown[] = [];
    for await (const item of paginate(
      async (q) => {
        fetched.push(q);
        return answers.shift();
      },
      '/servers',
      'servers',
      { name: 'x' },
    ))
      items.push(item);
    expect(items).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(fetched).toEqual([
      { name: 'x', page: 1, per_page: 50 },
      { name: 'x', page: 2, per_page: 50 },
      { name: 'x', page: 3, per_page: 50 },
    ]);
  });

  it('refuses an answer without the list, or a next page that does not advance', async () => {
    const consume = async (answer: unknown) => {
      for await (const _ of paginate(async () => answer, '/servers', 'servers'));
    };
    await expect(consume({ networks: [] })).rejects.toMatchObject({ code: 'invalid_response' });
    await expect(consume({ servers: [], meta: { pagination: { next_page: 1 } } })).rejects.toThrow(
      /page 1 names 1 as the next page/,
    );
  });
});

describe('label selectors', () => {
  it('turns labels into a sorted selector that matches all of them', () => {
    expect(labelSelector({ role: 'worker', cluster: 'prod', 'managed-by': 'personal-cloud' })).toBe(
      'cluster=prod,managed-by=personal-cloud,role=worker',
    );
    expect(labelSelector('env in (a,b),!gone')).toBe('env in (a,b),!gone');
  });

  it('builds the list query from a filter', () => {
    expect(listQuery({ labelSelector: { cluster: 'prod' } })).toEqual({
      label_selector: 'cluster=prod',
      name: undefined,
    });
    expect(listQuery({ name: 'worker-1' })).toEqual({ label_selector: undefined, name: 'worker-1' });
  });

  it('arrives intact at the server', async () => {
    serveServers(1);
    await client.listAll(
      '/servers',
      'servers',
      listQuery({ labelSelector: { cluster: 'prod', 'managed-by': 'personal-cloud' } }),
    );
    expect(fake.requests[0]?.rawQuery).toBe(
      'label_selector=cluster%3Dprod%2Cmanaged-by%3Dpersonal-cloud&page=1&per_page=50',
    );
  });

  it('compares label sets exactly', () => {
    expect(sameLabels({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameLabels({ a: '1' }, { a: '1', b: '2' })).toBe(false);
    expect(sameLabels({ a: '1', b: '2' }, { a: '1' })).toBe(false);
    expect(sameLabels({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameLabels(undefined, {})).toBe(true);
  });
});
