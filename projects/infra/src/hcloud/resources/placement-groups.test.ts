import { describe, expect, it } from 'vitest';
import { action, page, placementGroup } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as placementGroups from './placement-groups';

const api = useFakeHetzner();
const labels = { 'managed-by': 'personal-cloud', cluster: 'test', role: 'placement', name: 'test-spread' };

describe('placement groups', () => {
  it('lists by label selector', async () => {
    api.fake.on('GET', '/placement_groups', { status: 200, body: page('placement_groups', [placementGroup()]) });
    expect(await placementGroups.list(api.client, { labelSelector: { cluster: 'test' } })).toEqual([placementGroup()]);
    expect(api.fake.requests[0]?.query.get('label_selector')).toBe('cluster=test');
  });

  it('creates a spread group and returns the actions to wait for', async () => {
    const a = action({ command: 'create_placement_group', resources: [{ id: 9, type: 'placement_group' }] });
    api.fake.on('POST', '/placement_groups', { status: 201, body: { placement_group: placementGroup(), action: a } });
    const body = { name: 'test-spread', type: 'spread' as const, labels };
    await expect(placementGroups.create(api.client, body)).resolves.toEqual({
      placement_group: placementGroup(),
      actions: [a],
    });
    expect(api.fake.requests[0]?.body).toEqual(body);
  });

  it('returns no actions when the API gives none, and recovers a lost create', async () => {
    api.fake.on('POST', '/placement_groups', [{ drop: true }]);
    api.fake.on('GET', '/placement_groups', { status: 200, body: page('placement_groups', [placementGroup()]) });
    const created = await placementGroups.create(api.client, { name: 'test-spread', type: 'spread', labels });
    expect(created).toEqual({ placement_group: placementGroup(), actions: [] });
    expect(api.fake.calls('POST', '/placement_groups')).toHaveLength(1);
  });

  it('gets, updates and deletes', async () => {
    api.fake.on('GET', '/placement_groups/9', { status: 200, body: { placement_group: placementGroup() } });
    api.fake.on('PUT', '/placement_groups/9', { status: 200, body: { placement_group: placementGroup() } });
    api.fake.on('DELETE', '/placement_groups/9', { status: 204 });
    await placementGroups.get(api.client, 9);
    await placementGroups.update(api.client, 9, { labels });
    await placementGroups.delete(api.client, 9);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/placement_groups/9', undefined],
      ['PUT', '/placement_groups/9', { labels }],
      ['DELETE', '/placement_groups/9', undefined],
    ]);
  });
});
