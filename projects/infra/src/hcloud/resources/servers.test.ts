import { describe, expect, it } from 'vitest';
import { apiError } from '../../../test/support/hcloud/fake-hetzner';
import { action, createServerBody, page, server } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as servers from './servers';

const api = useFakeHetzner();
const labels = { 'managed-by': 'personal-cloud', cluster: 'test', role: 'worker', name: 'worker-1' };
const body = createServerBody();
const createAction = action({ id: 1, command: 'create_server' });
const startAction = action({ id: 2, command: 'start_server' });

describe('servers', () => {
  it('lists by label selector and status', async () => {
    api.fake.on('GET', '/servers', { status: 200, body: page('servers', [server()]) });
    expect(await servers.list(api.client, { labelSelector: { cluster: 'test' }, status: ['running', 'off'] })).toEqual([
      server(),
    ]);
    expect(api.fake.requests[0]?.rawQuery).toBe(
      'label_selector=cluster%3Dtest&status=running&status=off&page=1&per_page=50',
    );
  });

  it('creates with every option the reconciler uses, returning [action, ...next_actions]', async () => {
    api.fake.on('POST', '/servers', {
      status: 201,
      body: { server: server(), action: createAction, next_actions: [startAction], root_password: null },
    });
    const created = await servers.create(api.client, body);
    expect(created).toEqual({ server: server(), actions: [createAction, startAction], root_password: null });
    expect(api.fake.requests[0]?.body).toEqual(body);
  });

  it('recovers a lost create with the server’s running actions, so the caller can still wait', async () => {
    api.fake.on('POST', '/servers', { drop: true });
    api.fake.on('GET', '/servers', { status: 200, body: page('servers', [server({ status: 'initializing' })]) });
    api.fake.on('GET', '/servers/42/actions', { status: 200, body: page('actions', [createAction, startAction]) });
    const created = await servers.create(api.client, body);
    expect(created).toEqual({
      server: server({ status: 'initializing' }),
      actions: [createAction, startAction],
      root_password: null,
    });
    expect(api.fake.calls('POST', '/servers')).toHaveLength(1);
    expect(api.fake.calls('GET', '/servers')[0]?.query.get('name')).toBe('worker-1');
    expect(api.fake.calls('GET', '/servers/42/actions')[0]?.rawQuery).toBe(
      'status=running&sort=id%3Aasc&page=1&per_page=50',
    );
  });

  it('sends the create again, once, when the lost one made nothing', async () => {
    api.fake.on('POST', '/servers', [
      { drop: true },
      { status: 201, body: { server: server(), action: createAction, next_actions: [], root_password: null } },
    ]);
    api.fake.on('GET', '/servers', { status: 200, body: page('servers', []) });
    await expect(servers.create(api.client, body)).resolves.toMatchObject({ actions: [createAction] });
    expect(api.fake.calls('POST', '/servers')).toHaveLength(2);
  });

  it('creates, then waits for the actions with one batched poll per tick', async () => {
    api.fake.on('POST', '/servers', {
      status: 201,
      body: { server: server(), action: createAction, next_actions: [startAction], root_password: null },
    });
    api.fake.on('GET', '/actions', (req) => ({
      status: 200,
      body: {
        actions: req.query
          .getAll('id')
          .map((id) => action({ id: Number(id), status: 'success', progress: 100, finished: '2026-01-01T00:00:01Z' })),
      },
    }));
    const { actions } = await servers.create(api.client, body);
    const done = await api.client.waitForActions(actions);
    expect(done.map((a) => a.status)).toEqual(['success', 'success']);
    expect(api.fake.calls('GET', '/actions').map((r) => r.rawQuery)).toEqual(['id=1&id=2']);
  });

  it('deletes, and treats a server already gone after a lost answer as deleted', async () => {
    const deleting = action({ id: 3, command: 'delete_server' });
    api.fake.on('DELETE', '/servers/42', { status: 200, body: { action: deleting } });
    api.fake.on('DELETE', '/servers/43', [{ drop: true }, apiError(404, 'not_found')]);
    await expect(servers.delete(api.client, 42)).resolves.toEqual(deleting);
    await expect(servers.delete(api.client, 43)).resolves.toBeUndefined();
  });

  it('gets and updates labels', async () => {
    api.fake.on('GET', '/servers/42', { status: 200, body: { server: server() } });
    api.fake.on('PUT', '/servers/42', { status: 200, body: { server: server() } });
    await expect(servers.get(api.client, 42)).resolves.toEqual(server());
    await servers.update(api.client, 42, { labels });
    expect(api.fake.requests[1]).toMatchObject({ method: 'PUT', path: '/servers/42', body: { labels } });
  });

  it.each([
    ['poweron', (c: typeof api.client) => servers.powerOn(c, 42), undefined],
    ['poweroff', (c: typeof api.client) => servers.powerOff(c, 42), undefined],
    ['shutdown', (c: typeof api.client) => servers.shutdown(c, 42), undefined],
    [
      'change_type',
      (c: typeof api.client) => servers.changeType(c, 42, { server_type: 'ccx33', upgrade_disk: false }),
      { server_type: 'ccx33', upgrade_disk: false },
    ],
    [
      'attach_to_network',
      (c: typeof api.client) => servers.attachToNetwork(c, 42, { network: 3, ip: '10.0.1.5' }),
      { network: 3, ip: '10.0.1.5' },
    ],
    ['detach_from_network', (c: typeof api.client) => servers.detachFromNetwork(c, 42, { network: 3 }), { network: 3 }],
    [
      'add_to_placement_group',
      (c: typeof api.client) => servers.addToPlacementGroup(c, 42, { placement_group: 9 }),
      { placement_group: 9 },
    ],
    ['remove_from_placement_group', (c: typeof api.client) => servers.removeFromPlacementGroup(c, 42), undefined],
    [
      'change_protection',
      (c: typeof api.client) => servers.changeProtection(c, 42, { delete: true, rebuild: true }),
      { delete: true, rebuild: true },
    ],
  ])('%s posts to /servers/42/actions/%s and returns its action', async (command, call, sent) => {
    const a = action({ command });
    api.fake.on('POST', `/servers/42/actions/${command}`, { status: 201, body: { action: a } });
    await expect(call(api.client)).resolves.toEqual(a);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', `/servers/42/actions/${command}`, sent],
    ]);
  });

  it('rebuilds from an image', async () => {
    const a = action({ command: 'rebuild_server' });
    api.fake.on('POST', '/servers/42/actions/rebuild', { status: 201, body: { action: a, root_password: null } });
    await expect(servers.rebuild(api.client, 42, { image: 'debian-12' })).resolves.toEqual({
      actions: [a],
      root_password: null,
    });
    expect(api.fake.requests[0]?.body).toEqual({ image: 'debian-12' });
  });
});
