// Networks with subnets, firewalls with rules and targets, SSH keys, and the catalogue.
import { describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { sshPublicKey, useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 5 });

async function settle(answer: { status: number; body: any }) {
  const actions = [answer.body?.action, ...(answer.body?.next_actions ?? []), ...(answer.body?.actions ?? [])].filter(
    Boolean,
  );
  for (const action of actions) await fixture.api.waitForAction(action.id);
  return answer;
}

describe('networks', () => {
  it('creates a network and adds and deletes subnets', async () => {
    const { api } = fixture;
    const created = await api.post('/networks', {
      name: 'cluster',
      ip_range: '10.0.0.0/16',
      labels: { cluster: 'c1' },
      routes: [{ destination: '10.100.0.0/24', gateway: '10.0.0.5' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.network).toMatchObject({
      ip_range: '10.0.0.0/16',
      subnets: [],
      servers: [],
      routes: [{ destination: '10.100.0.0/24', gateway: '10.0.0.5' }],
    });
    const id = created.body.network.id;
    await settle(await api.post(`/networks/${id}/actions/add_subnet`, { type: 'cloud', network_zone: 'eu-central' }));
    await settle(
      await api.post(`/networks/${id}/actions/add_subnet`, {
        type: 'server',
        network_zone: 'eu-central',
        ip_range: '10.0.8.0/22',
      }),
    );
    expect(
      (
        await api.post(`/networks/${id}/actions/add_subnet`, {
          type: 'cloud',
          network_zone: 'eu-central',
          ip_range: '10.0.9.0/24',
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await api.post(`/networks/${id}/actions/add_subnet`, {
          type: 'cloud',
          network_zone: 'eu-central',
          ip_range: '10.1.0.0/24',
        })
      ).status,
    ).toBe(422);
    expect((await api.post(`/networks/${id}/actions/add_subnet`, { type: 'cloud', network_zone: 'mars' })).status).toBe(
      422,
    );
    const network = (await api.get(`/networks/${id}`)).body.network;
    expect(network.subnets).toEqual([
      { type: 'cloud', ip_range: '10.0.0.0/24', network_zone: 'eu-central', gateway: '10.0.0.1' },
      { type: 'server', ip_range: '10.0.8.0/22', network_zone: 'eu-central', gateway: '10.0.0.1' },
    ]);
    await settle(await api.post(`/networks/${id}/actions/delete_subnet`, { ip_range: '10.0.8.0/22' }));
    expect((await api.get(`/networks/${id}`)).body.network.subnets).toHaveLength(1);
    expect((await api.post('/networks', { name: 'public', ip_range: '8.8.0.0/16' })).status).toBe(422);
    expect((await api.post('/networks', { name: 'cluster', ip_range: '10.1.0.0/16' })).body.error.code).toBe(
      'uniqueness_error',
    );
  });

  it('keeps subnets with servers, detaches servers when the network goes, and honours protection', async () => {
    const { api } = fixture;
    const id = (await api.get('/networks?name=cluster')).body.networks[0].id;
    const server = await api.createServer('member', { networks: [id] });
    expect(server.private_net).toMatchObject([{ network: id, ip: '10.0.0.2', alias_ips: [] }]);
    expect(server.private_net[0].mac_address).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect((await api.post(`/networks/${id}/actions/delete_subnet`, { ip_range: '10.0.0.0/24' })).status).toBe(422);
    await settle(await api.post(`/networks/${id}/actions/change_protection`, { delete: true }));
    expect(await api.delete(`/networks/${id}`)).toMatchObject({ status: 423, body: { error: { code: 'protected' } } });
    await settle(await api.post(`/networks/${id}/actions/change_protection`, { delete: false }));
    expect((await api.delete(`/networks/${id}`)).status).toBe(204);
    expect((await api.get(`/servers/${server.id}`)).body.server.private_net).toEqual([]);
  });
});

describe('network ip range', () => {
  it('grows a network in place and refuses to shrink or move it', async () => {
    const { api } = fixture;
    const id = (
      await api.post('/networks', {
        name: 'growing',
        ip_range: '10.20.0.0/24',
        subnets: [{ type: 'cloud', ip_range: '10.20.0.0/24', network_zone: 'eu-central' }],
      })
    ).body.network.id;
    await settle(await api.post(`/networks/${id}/actions/change_ip_range`, { ip_range: '10.20.0.0/16' }));
    expect((await api.get(`/networks/${id}`)).body.network.ip_range).toBe('10.20.0.0/16');
    const shrink = await api.post(`/networks/${id}/actions/change_ip_range`, { ip_range: '10.20.0.0/20' });
    expect(shrink.status).toBe(422);
    expect(shrink.body.error.details.fields[0].name).toBe('ip_range');
    expect((await api.post(`/networks/${id}/actions/change_ip_range`, { ip_range: '10.30.0.0/16' })).status).toBe(422);
  });
});

describe('firewalls', () => {
  const rule = { direction: 'in', protocol: 'tcp', port: '22', source_ips: ['0.0.0.0/0', '::/0'] };

  it('creates a firewall with rules and targets', async () => {
    const { api } = fixture;
    const server = await api.createServer('guarded', { labels: { role: 'worker' } });
    const created = await api.post('/firewalls', {
      name: 'ssh',
      rules: [rule],
      apply_to: [{ type: 'server', server: { id: server.id } }],
    });
    expect(created.status).toBe(201);
    expect(created.body.actions.map((a: any) => a.command)).toEqual(['set_firewall_rules', 'apply_firewall']);
    await settle(created);
    expect((await api.get(`/servers/${server.id}`)).body.server.public_net.firewalls).toEqual([
      { id: created.body.firewall.id, status: 'applied' },
    ]);
    expect((await api.get(`/firewalls/${created.body.firewall.id}`)).body.firewall).toMatchObject({
      rules: [
        {
          direction: 'in',
          protocol: 'tcp',
          port: '22',
          source_ips: ['0.0.0.0/0', '::/0'],
          destination_ips: [],
          description: null,
        },
      ],
      applied_to: [{ type: 'server', server: { id: server.id } }],
    });
  });

  it('validates rules', async () => {
    const { api } = fixture;
    for (const bad of [
      { ...rule, port: undefined },
      { ...rule, protocol: 'icmp' },
      { ...rule, source_ips: [] },
      { ...rule, source_ips: ['10.0.0.1/8'] },
      { ...rule, port: '70000' },
      { ...rule, direction: 'out' },
    ])
      expect((await api.post('/firewalls/1/actions/set_rules', { rules: [bad] })).status).toBe(422);
    await settle(
      await api.post('/firewalls/1/actions/set_rules', {
        rules: [rule, { direction: 'out', protocol: 'icmp', destination_ips: ['0.0.0.0/0'] }],
      }),
    );
    expect((await api.get('/firewalls/1')).body.firewall.rules).toHaveLength(2);
  });

  it('applies by label selector, refuses doubles and misses, and keeps selector-managed servers', async () => {
    const { api } = fixture;
    const server = (await api.get('/servers?name=guarded')).body.servers[0];
    const again = await api.post('/firewalls/1/actions/apply_to_resources', {
      apply_to: [{ type: 'server', server: { id: server.id } }],
    });
    expect(again).toMatchObject({ status: 422, body: { error: { code: 'firewall_already_applied' } } });
    const missing = await api.post('/firewalls/1/actions/apply_to_resources', {
      apply_to: [{ type: 'server', server: { id: 9999 } }],
    });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'firewall_resource_not_found' } } });
    const selector = await api.post('/firewalls', {
      name: 'workers',
      apply_to: [{ type: 'label_selector', label_selector: { selector: 'role=worker' } }],
    });
    await settle(selector);
    const workers = selector.body.firewall.id;
    expect((await api.get(`/firewalls/${workers}`)).body.firewall.applied_to).toEqual([
      {
        type: 'label_selector',
        label_selector: { selector: 'role=worker' },
        applied_to_resources: [{ type: 'server', server: { id: server.id } }],
      },
    ]);
    expect((await api.get(`/servers/${server.id}`)).body.server.public_net.firewalls.map((f: any) => f.id)).toEqual([
      1,
      workers,
    ]);
    const managed = await api.post(`/firewalls/${workers}/actions/remove_from_resources`, {
      remove_from: [{ type: 'server', server: { id: server.id } }],
    });
    expect(managed.body.error.code).toBe('firewall_managed_by_label_selector');
    expect(
      (
        await api.post('/firewalls', {
          name: 'bad-selector',
          apply_to: [{ type: 'label_selector', label_selector: { selector: 'role in (' } }],
        })
      ).status,
    ).toBe(422);
  });

  it('allows five firewalls per server, counting those applied by selector', async () => {
    const { api } = fixture;
    const server = (await api.get('/servers?name=guarded')).body.servers[0];
    for (const name of ['f3', 'f4', 'f5'])
      await settle(await api.post('/firewalls', { name, apply_to: [{ type: 'server', server: { id: server.id } }] }));
    const sixth = await api.post('/firewalls', {
      name: 'f6',
      apply_to: [{ type: 'server', server: { id: server.id } }],
    });
    expect(sixth).toMatchObject({ status: 403, body: { error: { code: 'resource_limit_exceeded' } } });
    const spare = (await api.post('/firewalls', { name: 'spare' })).body.firewall.id;
    const bySelector = await api.post(`/firewalls/${spare}/actions/apply_to_resources`, {
      apply_to: [{ type: 'label_selector', label_selector: { selector: 'role' } }],
    });
    expect(bySelector.status).toBe(403);
  });

  it('refuses to delete an applied firewall, and deletes it once removed', async () => {
    const { api } = fixture;
    const server = (await api.get('/servers?name=guarded')).body.servers[0];
    expect(await api.delete('/firewalls/1')).toMatchObject({
      status: 422,
      body: { error: { code: 'resource_in_use' } },
    });
    const removed = await settle(
      await api.post('/firewalls/1/actions/remove_from_resources', {
        remove_from: [{ type: 'server', server: { id: server.id } }],
      }),
    );
    expect(removed.body.actions[0].command).toBe('remove_firewall');
    expect((await api.delete('/firewalls/1')).status).toBe(204);
    const notApplied = await api.post('/firewalls/2/actions/remove_from_resources', {
      remove_from: [{ type: 'server', server: { id: 424242 } }],
    });
    expect(notApplied.body.error.code).toBe('firewall_resource_not_found');
  });
});

describe('SSH keys', () => {
  it('stores keys with their fingerprint and refuses duplicates and malformed keys', async () => {
    const { api } = fixture;
    const key = sshPublicKey('me@home');
    const created = await api.post('/ssh_keys', { name: 'me', public_key: key, labels: { who: 'me' } });
    expect(created.status).toBe(201);
    expect(created.body.ssh_key.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const fingerprint = created.body.ssh_key.fingerprint;
    expect((await api.get(`/ssh_keys?fingerprint=${fingerprint}`)).body.ssh_keys.map((k: any) => k.name)).toEqual([
      'me',
    ]);
    expect(await api.post('/ssh_keys', { name: 'me-again', public_key: key })).toMatchObject({
      status: 409,
      body: { error: { code: 'uniqueness_error', details: { fields: [{ name: 'public_key' }] } } },
    });
    expect((await api.post('/ssh_keys', { name: 'me', public_key: sshPublicKey() })).status).toBe(409);
    expect((await api.post('/ssh_keys', { name: 'fake', public_key: 'ssh-ed25519 AAAA' })).status).toBe(422);
    expect((await api.post('/ssh_keys', { name: 'fake', public_key: 'not a key' })).status).toBe(422);
    expect((await api.put(`/ssh_keys/${created.body.ssh_key.id}`, { name: 'mine' })).body.ssh_key.name).toBe('mine');
    expect((await api.delete(`/ssh_keys/${created.body.ssh_key.id}`)).status).toBe(204);
  });
});

describe('catalogue and pricing', () => {
  it('offers the seed server types, locations, datacenters and images', async () => {
    const { api } = fixture;
    const types = (await api.get('/server_types')).body.server_types.map((t: any) => t.name);
    expect(types).toEqual(expect.arrayContaining(['cpx11', 'cpx22', 'ccx23', 'cx23']));
    expect((await api.get('/server_types?name=ccx23')).body.server_types[0]).toMatchObject({
      cores: 4,
      memory: 16,
      disk: 160,
      cpu_type: 'dedicated',
    });
    expect((await api.get('/locations')).body.locations.map((l: any) => [l.name, l.network_zone])).toEqual([
      ['fsn1', 'eu-central'],
      ['nbg1', 'eu-central'],
      ['hel1', 'eu-central'],
      ['ash', 'us-east'],
      ['hil', 'us-west'],
      ['sin', 'ap-southeast'],
    ]);
    const datacenters = await api.get('/datacenters');
    expect(datacenters.body.datacenters.map((d: any) => d.name).sort()).toEqual([
      'ash-dc1',
      'fsn1-dc14',
      'hel1-dc2',
      'hil-dc1',
      'nbg1-dc3',
      'sin-dc1',
    ]);
    expect(typeof datacenters.body.recommendation).toBe('number');
    expect((await api.get('/images?name=ubuntu-24.04')).body.images).toMatchObject([
      { type: 'system', os_flavor: 'ubuntu', architecture: 'x86' },
    ]);
    expect((await api.get('/images?type=snapshot')).body.images).toEqual([]);
    expect((await api.get('/images?sort=name:desc&per_page=2')).body.images.map((i: any) => i.name)).toEqual([
      'ubuntu-24.04',
      'ubuntu-22.04',
    ]);
    const image = (await api.get('/images?name=debian-12')).body.images[0];
    expect((await api.get(`/images/${image.id}`)).body.image.name).toBe('debian-12');
    expect((await api.get(`/images/${image.id}/actions`)).body.actions).toEqual([]);
  });

  it('prices CPX11 at €3.29, CCX23 at €14.62, a GB of volume at €0.05 and an IPv4 at €0.50 a month', async () => {
    const { pricing } = (await fixture.api.get('/pricing')).body;
    expect(pricing.currency).toBe('EUR');
    expect(pricing.vat_rate).toBe('19.00');
    const monthly = (name: string) =>
      pricing.server_types.find((t: any) => t.name === name).prices.find((p: any) => p.location === 'fsn1')
        .price_monthly.net;
    expect(Number(monthly('cpx11'))).toBe(3.29);
    expect(Number(monthly('ccx23'))).toBe(14.62);
    expect(Number(pricing.volume.price_per_gb_month.net) * 500).toBeCloseTo(25.0, 10);
    const ipv4 = pricing.primary_ips.find((p: any) => p.type === 'ipv4').prices.find((p: any) => p.location === 'nbg1');
    expect(Number(ipv4.price_monthly.net)).toBe(0.5);
  });
});

describeContract(fixture.recorder);
