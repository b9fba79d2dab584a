import { describe, expect, it } from 'vitest';
import { action, network, page } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as networks from './networks';

const api = useFakeHetzner();
const labels = { 'managed-by': 'personal-cloud', cluster: 'test', role: 'network', name: 'test-net' };

describe('networks', () => {
  it('lists by label selector', async () => {
    api.fake.on('GET', '/networks', { status: 200, body: page('networks', [network()]) });
    expect(await networks.list(api.client, { labelSelector: 'cluster=test' })).toEqual([network()]);
    expect(api.fake.requests[0]?.query.get('label_selector')).toBe('cluster=test');
  });

  it('creates with its subnets', async () => {
    api.fake.on('POST', '/networks', { status: 201, body: { network: network() } });
    const body = {
      name: 'test-net',
      ip_range: '10.0.0.0/16',
      labels,
      subnets: [{ type: 'cloud' as const, ip_range: '10.0.1.0/24', network_zone: 'eu-central' }],
    };
    await expect(networks.create(api.client, body)).resolves.toEqual(network());
    expect(api.fake.requests[0]?.body).toEqual(body);
  });

  it('recovers a lost create by name and labels', async () => {
    api.fake.on('POST', '/networks', { drop: true });
    api.fake.on('GET', '/networks', { status: 200, body: page('networks', [network()]) });
    await expect(networks.create(api.client, { name: 'test-net', ip_range: '10.0.0.0/16', labels })).resolves.toEqual(
      network(),
    );
    expect(api.fake.calls('POST', '/networks')).toHaveLength(1);
  });

  it('changes subnets, range and protection through actions', async () => {
    const a = action({ command: 'add_subnet' });
    for (const command of ['add_subnet', 'delete_subnet', 'change_ip_range', 'change_protection'])
      api.fake.on('POST', `/networks/3/actions/${command}`, { status: 201, body: { action: a } });
    await expect(
      networks.addSubnet(api.client, 3, { type: 'cloud', ip_range: '10.0.2.0/24', network_zone: 'eu-central' }),
    ).resolves.toEqual(a);
    await networks.deleteSubnet(api.client, 3, { ip_range: '10.0.2.0/24' });
    await networks.changeIpRange(api.client, 3, { ip_range: '10.0.0.0/8' });
    await networks.changeProtection(api.client, 3, { delete: true });
    expect(api.fake.requests.map((r) => [r.path, r.body])).toEqual([
      ['/networks/3/actions/add_subnet', { type: 'cloud', ip_range: '10.0.2.0/24', network_zone: 'eu-central' }],
      ['/networks/3/actions/delete_subnet', { ip_range: '10.0.2.0/24' }],
      ['/networks/3/actions/change_ip_range', { ip_range: '10.0.0.0/8' }],
      ['/networks/3/actions/change_protection', { delete: true }],
    ]);
  });

  it('gets, updates labels and deletes', async () => {
    api.fake.on('GET', '/networks/3', { status: 200, body: { network: network() } });
    api.fake.on('PUT', '/networks/3', { status: 200, body: { network: network() } });
    api.fake.on('DELETE', '/networks/3', { status: 204 });
    await networks.get(api.client, 3);
    await networks.update(api.client, 3, { labels });
    await networks.delete(api.client, 3);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/networks/3', undefined],
      ['PUT', '/networks/3', { labels }],
      ['DELETE', '/networks/3', undefined],
    ]);
  });
});
