import { describe, expect, it } from 'vitest';
import { action, page, volume } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as volumes from './volumes';

const api = useFakeHetzner();
const labels = { 'managed-by': 'personal-cloud', cluster: 'test', role: 'volume', name: 'worker-1-data' };
const createAction = action({ id: 30, command: 'create_volume', resources: [{ id: 11, type: 'volume' }] });
const attachAction = action({ id: 31, command: 'attach_volume' });

describe('volumes', () => {
  it('lists by label selector', async () => {
    api.fake.on('GET', '/volumes', { status: 200, body: page('volumes', [volume()]) });
    expect(await volumes.list(api.client, { labelSelector: { cluster: 'test' } })).toEqual([volume()]);
    expect(api.fake.requests[0]?.query.get('label_selector')).toBe('cluster=test');
  });

  it('creates beside a server, attached, mounted and formatted, returning its actions', async () => {
    api.fake.on('POST', '/volumes', {
      status: 201,
      body: { volume: volume(), action: createAction, next_actions: [attachAction] },
    });
    const body = { name: 'worker-1-data', size: 500, server: 42, automount: true, format: 'ext4' as const, labels };
    await expect(volumes.create(api.client, body)).resolves.toEqual({
      volume: volume(),
      actions: [createAction, attachAction],
    });
    expect(api.fake.requests[0]?.body).toEqual(body);
  });

  it('creates in a location, unattached', async () => {
    api.fake.on('POST', '/volumes', {
      status: 201,
      body: { volume: volume({ server: null }), action: createAction, next_actions: [] },
    });
    await volumes.create(api.client, { name: 'spare', size: 10, location: 'fsn1', labels });
    expect(api.fake.requests[0]?.body).toEqual({ name: 'spare', size: 10, location: 'fsn1', labels });
  });

  it('recovers a lost create with the volume’s running actions', async () => {
    api.fake.on('POST', '/volumes', { drop: true });
    api.fake.on('GET', '/volumes', { status: 200, body: page('volumes', [volume()]) });
    api.fake.on('GET', '/volumes/11/actions', { status: 200, body: page('actions', [attachAction]) });
    await expect(volumes.create(api.client, { name: 'worker-1-data', size: 500, server: 42, labels })).resolves.toEqual(
      {
        volume: volume(),
        actions: [attachAction],
      },
    );
    expect(api.fake.calls('POST', '/volumes')).toHaveLength(1);
  });

  it('attaches, detaches, resizes and changes protection', async () => {
    for (const command of ['attach', 'detach', 'resize', 'change_protection'])
      api.fake.on('POST', `/volumes/11/actions/${command}`, { status: 201, body: { action: action({ command }) } });
    await volumes.attach(api.client, 11, { server: 42, automount: false });
    await volumes.detach(api.client, 11);
    await volumes.resize(api.client, 11, { size: 600 });
    await expect(volumes.changeProtection(api.client, 11, { delete: true })).resolves.toMatchObject({
      command: 'change_protection',
    });
    expect(api.fake.requests.map((r) => [r.path, r.body])).toEqual([
      ['/volumes/11/actions/attach', { server: 42, automount: false }],
      ['/volumes/11/actions/detach', undefined],
      ['/volumes/11/actions/resize', { size: 600 }],
      ['/volumes/11/actions/change_protection', { delete: true }],
    ]);
  });

  it('gets, updates and deletes', async () => {
    api.fake.on('GET', '/volumes/11', { status: 200, body: { volume: volume() } });
    api.fake.on('PUT', '/volumes/11', { status: 200, body: { volume: volume() } });
    api.fake.on('DELETE', '/volumes/11', { status: 204 });
    await volumes.get(api.client, 11);
    await volumes.update(api.client, 11, { labels });
    await volumes.delete(api.client, 11);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/volumes/11', undefined],
      ['PUT', '/volumes/11', { labels }],
      ['DELETE', '/volumes/11', undefined],
    ]);
  });
});
