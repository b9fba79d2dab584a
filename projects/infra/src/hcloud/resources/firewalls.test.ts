import { describe, expect, it } from 'vitest';
import { action, firewall, page } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as firewalls from './firewalls';

const api = useFakeHetzner();
const labels = { 'managed-by': 'personal-cloud', cluster: 'test', role: 'firewall', name: 'test-fw' };
const body: firewalls.CreateFirewall = {
  name: 'test-fw',
  labels,
  rules: [
    { description: 'ssh', direction: 'in', protocol: 'tcp', port: '22', source_ips: ['0.0.0.0/0', '::/0'] },
    { direction: 'in', protocol: 'icmp', source_ips: ['0.0.0.0/0'] },
  ],
  apply_to: [{ type: 'label_selector', label_selector: { selector: 'cluster=test' } }],
};

describe('firewalls', () => {
  it('lists by label selector', async () => {
    api.fake.on('GET', '/firewalls', { status: 200, body: page('firewalls', [firewall()]) });
    expect(await firewalls.list(api.client, { labelSelector: { cluster: 'test' } })).toEqual([firewall()]);
  });

  it('creates with rules applied to a label selector, returning the actions to wait for', async () => {
    const applying = action({ id: 20, command: 'apply_firewall', resources: [{ id: 5, type: 'firewall' }] });
    api.fake.on('POST', '/firewalls', { status: 201, body: { firewall: firewall(), actions: [applying] } });
    await expect(firewalls.create(api.client, body)).resolves.toEqual({ firewall: firewall(), actions: [applying] });
    expect(api.fake.requests[0]?.body).toEqual(body);
  });

  it('recovers a lost create with the firewall’s still-running actions', async () => {
    const applying = action({ id: 20, command: 'apply_firewall', progress: 40 });
    api.fake.on('POST', '/firewalls', { drop: true });
    api.fake.on('GET', '/firewalls', { status: 200, body: page('firewalls', [firewall()]) });
    api.fake.on('GET', '/firewalls/5/actions', { status: 200, body: page('actions', [applying]) });
    await expect(firewalls.create(api.client, body)).resolves.toEqual({ firewall: firewall(), actions: [applying] });
    expect(api.fake.calls('POST', '/firewalls')).toHaveLength(1);
    expect(api.fake.calls('GET', '/firewalls/5/actions')[0]?.query.getAll('status')).toEqual(['running']);
  });

  it('sets rules and applies to / removes from resources', async () => {
    const a = [action({ command: 'set_firewall_rules' })];
    for (const command of ['set_rules', 'apply_to_resources', 'remove_from_resources'])
      api.fake.on('POST', `/firewalls/5/actions/${command}`, { status: 201, body: { actions: a } });
    const target: firewalls.FirewallTarget = { type: 'server', server: { id: 42 } };
    await expect(firewalls.setRules(api.client, 5, body.rules!)).resolves.toEqual(a);
    await firewalls.applyToResources(api.client, 5, [target]);
    await firewalls.removeFromResources(api.client, 5, [target]);
    expect(api.fake.requests.map((r) => [r.path, r.body])).toEqual([
      ['/firewalls/5/actions/set_rules', { rules: body.rules }],
      ['/firewalls/5/actions/apply_to_resources', { apply_to: [target] }],
      ['/firewalls/5/actions/remove_from_resources', { remove_from: [target] }],
    ]);
  });

  it('gets, updates and deletes', async () => {
    api.fake.on('GET', '/firewalls/5', { status: 200, body: { firewall: firewall() } });
    api.fake.on('PUT', '/firewalls/5', { status: 200, body: { firewall: firewall() } });
    api.fake.on('DELETE', '/firewalls/5', { status: 204 });
    await firewalls.get(api.client, 5);
    await firewalls.update(api.client, 5, { labels });
    await firewalls.delete(api.client, 5);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/firewalls/5', undefined],
      ['PUT', '/firewalls/5', { labels }],
      ['DELETE', '/firewalls/5', undefined],
    ]);
  });
});
