import { describe, expect, it } from 'vitest';
import { action, page } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as actions from './actions';

const api = useFakeHetzner();

describe('actions', () => {
  it('gets many actions with one GET /actions per 25 ids, without duplicates', async () => {
    api.fake.on('GET', '/actions', (req) => ({
      status: 200,
      body: { actions: req.query.getAll('id').map((id) => action({ id: Number(id) })) },
    }));
    const ids = [...Array.from({ length: 60 }, (_, i) => i + 1), 1, 2];
    const got = await actions.get(api.client, ids);
    expect(got.map((a) => a.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const sizes = api.fake.calls('GET', '/actions').map((r) => r.query.getAll('id').length);
    expect(sizes.sort((a, b) => b - a)).toEqual([25, 25, 10]);
    expect(actions.MAX_IDS_PER_REQUEST).toBe(25);
  });

  it('sends nothing for no ids', async () => {
    await expect(actions.get(api.client, [])).resolves.toEqual([]);
    expect(api.fake.requests).toEqual([]);
  });

  it('lists the running actions of a resource', async () => {
    api.fake.on('GET', '/volumes/11/actions', { status: 200, body: page('actions', [action({ id: 4 })]) });
    expect(await actions.running(api.client, 'volumes', 11)).toEqual([action({ id: 4 })]);
    expect(api.fake.requests[0]?.query.getAll('status')).toEqual(['running']);
  });

  it('collects every action of an answer in order', () => {
    const [a, b, c] = [action({ id: 1 }), action({ id: 2 }), action({ id: 3 })];
    expect(actions.actionsOf({ action: a, next_actions: [b!, c!] })).toEqual([a, b, c]);
    expect(actions.actionsOf({ actions: [b!] })).toEqual([b]);
    expect(actions.actionsOf({ action: null })).toEqual([]);
  });
});
