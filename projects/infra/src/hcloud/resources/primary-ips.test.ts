import { describe, expect, it } from 'vitest';
import { action, page, primaryIp } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as primaryIps from './primary-ips';

const api = useFakeHetzner();
const labels = { 'managed-by': 'personal-cloud', cluster: 'test', role: 'ip', name: 'worker-1-ipv4' };
const body: primaryIps.CreatePrimaryIp = {
  name: 'worker-1-ipv4',
  type: 'ipv4',
  assignee_type: 'server',
  location: 'fsn1',
  auto_delete: false,
  labels,
};

describe('primary IPs', () => {
  it('lists by label selector', async () => {
    api.fake.on('GET', '/primary_ips', { status: 200, body: page('primary_ips', [primaryIp()]) });
    expect(await primaryIps.list(api.client, { labelSelector: { cluster: 'test' } })).toEqual([primaryIp()]);
    expect(api.fake.requests[0]?.query.get('label_selector')).toBe('cluster=test');
  });

  it('creates unassigned in a location', async () => {
    api.fake.on('POST', '/primary_ips', { status: 201, body: { primary_ip: primaryIp({ assignee_id: null }) } });
    await expect(primaryIps.create(api.client, body)).resolves.toEqual({
      primary_ip: primaryIp({ assignee_id: null }),
      actions: [],
    });
    expect(api.fake.requests[0]?.body).toEqual(body);
  });

  it('returns the assignment action of a create that assigns', async () => {
    const assigning = action({ command: 'assign_primary_ip' });
    api.fake.on('POST', '/primary_ips', { status: 201, body: { primary_ip: primaryIp(), action: assigning } });
    const created = await primaryIps.create(api.client, {
      name: 'worker-1-ipv4',
      type: 'ipv4',
      assignee_type: 'server',
      assignee_id: 42,
      labels,
    });
    expect(created.actions).toEqual([assigning]);
  });

  it('recovers a lost create with its running actions', async () => {
    api.fake.on('POST', '/primary_ips', { drop: true });
    api.fake.on('GET', '/primary_ips', { status: 200, body: page('primary_ips', [primaryIp()]) });
    api.fake.on('GET', '/primary_ips/7/actions', { status: 200, body: page('actions', []) });
    await expect(primaryIps.create(api.client, body)).resolves.toEqual({ primary_ip: primaryIp(), actions: [] });
    expect(api.fake.calls('POST', '/primary_ips')).toHaveLength(1);
    expect(api.fake.calls('GET', '/primary_ips/7/actions')).toHaveLength(1);
  });

  it('assigns to a server, unassigns and changes protection', async () => {
    for (const command of ['assign', 'unassign', 'change_protection'])
      api.fake.on('POST', `/primary_ips/7/actions/${command}`, { status: 201, body: { action: action({ command }) } });
    await primaryIps.assign(api.client, 7, { assignee_id: 42 });
    await primaryIps.unassign(api.client, 7);
    await primaryIps.changeProtection(api.client, 7, { delete: true });
    expect(api.fake.requests.map((r) => [r.path, r.body])).toEqual([
      ['/primary_ips/7/actions/assign', { assignee_type: 'server', assignee_id: 42 }],
      ['/primary_ips/7/actions/unassign', undefined],
      ['/primary_ips/7/actions/change_protection', { delete: true }],
    ]);
  });

  it('gets, updates and deletes', async () => {
    api.fake.on('GET', '/primary_ips/7', { status: 200, body: { primary_ip: primaryIp() } });
    api.fake.on('PUT', '/primary_ips/7', { status: 200, body: { primary_ip: primaryIp() } });
    api.fake.on('DELETE', '/primary_ips/7', { status: 204 });
    await primaryIps.get(api.client, 7);
    await primaryIps.update(api.client, 7, { labels, auto_delete: false });
    await primaryIps.delete(api.client, 7);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/primary_ips/7', undefined],
      ['PUT', '/primary_ips/7', { labels, auto_delete: false }],
      ['DELETE', '/primary_ips/7', undefined],
    ]);
  });
});
