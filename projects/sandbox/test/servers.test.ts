// Servers: create and its addresses, uniqueness, protection, placement groups, networks, limits.
import { describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { sshPublicKey, useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 5 });

async function powerOff(id: number) {
  const { api } = fixture;
  const off = await api.post(`/servers/${id}/actions/poweroff`);
  expect(off.status).toBe(201);
  await api.waitForAction(off.body.action.id);
}

describe('creating servers', () => {
  it('creates a server with its public addresses, and a root password only without SSH keys', async () => {
    const { api } = fixture;
    const created = await api.post('/servers', {
      name: 'web-1',
      server_type: 'cpx11',
      image: 'ubuntu-24.04',
      location: 'fsn1',
      labels: { role: 'web' },
    });
    expect(created.status).toBe(201);
    const { server } = created.body;
    expect(typeof created.body.root_password).toBe('string');
    expect(server).toMatchObject({
      name: 'web-1',
      labels: { role: 'web' },
      server_type: { name: 'cpx11', cores: 2, memory: 2, disk: 40, cpu_type: 'shared', architecture: 'x86' },
      datacenter: { name: 'fsn1-dc14', location: { name: 'fsn1', network_zone: 'eu-central' } },
      location: { name: 'fsn1' },
      image: { name: 'ubuntu-24.04', type: 'system' },
      public_net: { ipv4: { ip: '203.0.113.1', blocked: false }, ipv6: { ip: '2001:db8:0:1::/64' } },
      primary_disk_size: 40,
      protection: { delete: false, rebuild: false },
    });
    await api.post('/ssh_keys', { name: 'me', public_key: sshPublicKey() });
    const second = await api.post('/servers', {
      name: 'web-2',
      server_type: 'ccx23',
      image: 'debian-12',
      location: 'hel1',
      ssh_keys: ['me'],
    });
    expect(second.body.root_password).toBeNull();
    expect(second.body.server.public_net).toMatchObject({
      ipv4: { ip: '203.0.113.2' },
      ipv6: { ip: '2001:db8:0:2::/64' },
    });
    expect(second.body.server.datacenter.name).toBe('hel1-dc2');
    const v6only = await api.post('/servers', {
      name: 'v6',
      server_type: 'cx23',
      image: 'debian-12',
      public_net: { enable_ipv4: false },
    });
    expect(v6only.body.server.public_net.ipv4).toBeNull();
    for (const a of [created, second, v6only])
      for (const action of [a.body.action, ...a.body.next_actions]) await api.waitForAction(action.id);
  });

  it('refuses a second server of the same name: 409 uniqueness_error', async () => {
    const again = await fixture.api.post('/servers', { name: 'web-1', server_type: 'cpx11', image: 'ubuntu-24.04' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'uniqueness_error', details: { fields: [{ name: 'name' }] } });
  });

  it('refuses unknown types, images, locations and keys as invalid input', async () => {
    const { api } = fixture;
    for (const [field, body] of [
      ['server_type', { server_type: 'cpx99' }],
      ['image', { image: 'windows' }],
      ['location', { location: 'mars1' }],
      ['ssh_keys', { ssh_keys: ['nobody'] }],
    ] as const) {
      const valid = { name: `bad-${field}`.replace('_', '-'), server_type: 'cpx11', image: 'ubuntu-24.04' };
      const answer = await api.post('/servers', { ...valid, ...body });
      expect(answer.status).toBe(422);
      expect(answer.body.error.details.fields[0].name).toBe(field);
    }
  });

  it('lists servers filtered by status and label', async () => {
    const { api } = fixture;
    await powerOff(3);
    expect((await api.get('/servers?status=off')).body.servers.map((s: any) => s.name)).toEqual(['v6']);
    expect((await api.get('/servers?label_selector=role%3Dweb')).body.servers.map((s: any) => s.name)).toEqual([
      'web-1',
    ]);
    expect((await api.put('/servers/2', { name: 'web-1' })).status).toBe(409);
    expect((await api.put('/servers/2', { name: 'web-2b', labels: { role: 'web' } })).body.server).toMatchObject({
      name: 'web-2b',
      labels: { role: 'web' },
    });
  });
});

describe('protection', () => {
  it('refuses to delete or rebuild a protected server: 423 protected', async () => {
    const { api } = fixture;
    const change = await api.post('/servers/1/actions/change_protection', { delete: true, rebuild: true });
    await api.waitForAction(change.body.action.id);
    expect((await api.get('/servers/1')).body.server.protection).toEqual({ delete: true, rebuild: true });
    expect(await api.delete('/servers/1')).toMatchObject({ status: 423, body: { error: { code: 'protected' } } });
    expect(await api.post('/servers/1/actions/rebuild', { image: 'debian-12' })).toMatchObject({
      status: 423,
      body: { error: { code: 'protected' } },
    });
    const lift = await api.post('/servers/1/actions/change_protection', { delete: false, rebuild: false });
    await api.waitForAction(lift.body.action.id);
    const rebuild = await api.post('/servers/1/actions/rebuild', { image: 'debian-12' });
    expect(rebuild.status).toBe(201);
    expect(typeof rebuild.body.root_password).toBe('string');
    await api.waitForAction(rebuild.body.action.id);
    expect((await api.get('/servers/1')).body.server.image.name).toBe('debian-12');
  });
});

describe('deleting servers', () => {
  it('frees auto-delete primary IPs, keeps others unassigned and detaches volumes', async () => {
    const { api } = fixture;
    const kept = await api.post('/primary_ips', {
      name: 'kept',
      type: 'ipv4',
      assignee_type: 'server',
      location: 'fsn1',
    });
    expect(kept.status).toBe(201);
    const server = await api.createServer('doomed', { public_net: { ipv4: kept.body.primary_ip.id } });
    expect(server.public_net.ipv4.id).toBe(kept.body.primary_ip.id);
    const volume = await api.post('/volumes', { name: 'doomed-data', size: 10, server: server.id });
    for (const a of [volume.body.action, ...volume.body.next_actions]) await api.waitForAction(a.id);
    expect((await api.get(`/servers/${server.id}`)).body.server.volumes).toEqual([volume.body.volume.id]);
    const ipv6 = server.public_net.ipv6.id;

    const deleted = await api.delete(`/servers/${server.id}`);
    await api.waitForAction(deleted.body.action.id);
    expect((await api.get(`/servers/${server.id}`)).status).toBe(404);
    expect((await api.get(`/primary_ips/${ipv6}`)).status).toBe(404);
    expect((await api.get(`/primary_ips/${kept.body.primary_ip.id}`)).body.primary_ip.assignee_id).toBeNull();
    expect((await api.get(`/volumes/${volume.body.volume.id}`)).body.volume.server).toBeNull();
  });
});

describe('primary IPs', () => {
  it('checks the type, assignment and location of a primary IP given to a new server', async () => {
    const { api } = fixture;
    const v6 = await api.post('/primary_ips', { name: 'six', type: 'ipv6', assignee_type: 'server', location: 'fsn1' });
    expect(v6.body.primary_ip.ip).toMatch(/^2001:db8:[0-9a-f]+:[0-9a-f]+::\/64$/);
    const mismatch = await api.post('/servers', {
      name: 'pip',
      server_type: 'cpx11',
      image: 'debian-12',
      public_net: { ipv4: v6.body.primary_ip.id },
    });
    expect(mismatch).toMatchObject({ status: 412, body: { error: { code: 'primary_ip_version_mismatch' } } });
    const taken = (await api.get('/servers/1')).body.server.public_net.ipv4.id;
    const assigned = await api.post('/servers', {
      name: 'pip',
      server_type: 'cpx11',
      image: 'debian-12',
      public_net: { ipv4: taken },
    });
    expect(assigned).toMatchObject({ status: 422, body: { error: { code: 'primary_ip_assigned' } } });
    const elsewhere = await api.post('/servers', {
      name: 'pip',
      server_type: 'cpx11',
      image: 'debian-12',
      location: 'hel1',
      public_net: { ipv6: v6.body.primary_ip.id },
    });
    expect(elsewhere).toMatchObject({ status: 422, body: { error: { code: 'primary_ip_datacenter_mismatch' } } });
  });

  it('assigns and unassigns only while the server is off, and deletes only unassigned IPs', async () => {
    const { api } = fixture;
    const ip = (
      await api.post('/primary_ips', { name: 'float', type: 'ipv4', assignee_type: 'server', location: 'fsn1' })
    ).body.primary_ip;
    const server = await api.createServer('no-v4', { public_net: { enable_ipv4: false } });
    expect(
      (await api.post(`/primary_ips/${ip.id}/actions/assign`, { assignee_type: 'server', assignee_id: server.id })).body
        .error.code,
    ).toBe('server_not_stopped');
    await powerOff(server.id);
    const assign = await api.post(`/primary_ips/${ip.id}/actions/assign`, {
      assignee_type: 'server',
      assignee_id: server.id,
    });
    await api.waitForAction(assign.body.action.id);
    expect((await api.get(`/servers/${server.id}`)).body.server.public_net.ipv4).toMatchObject({
      id: ip.id,
      ip: ip.ip,
    });
    expect(await api.delete(`/primary_ips/${ip.id}`)).toMatchObject({
      status: 422,
      body: { error: { code: 'must_be_unassigned' } },
    });
    expect((await api.post(`/primary_ips/${ip.id}/actions/change_protection`, { delete: true })).status).toBe(201);
    await api.waitForAction((await api.get(`/primary_ips/${ip.id}/actions?sort=id:desc`)).body.actions[0].id);
    expect((await api.delete(`/primary_ips/${ip.id}`)).body.error.code).toBe('protected');
    const unprotect = await api.post(`/primary_ips/${ip.id}/actions/change_protection`, { delete: false });
    await api.waitForAction(unprotect.body.action.id);
    const unassign = await api.post(`/primary_ips/${ip.id}/actions/unassign`);
    await api.waitForAction(unassign.body.action.id);
    expect((await api.delete(`/primary_ips/${ip.id}`)).status).toBe(204);
    const auto = (await api.get(`/servers/1`)).body.server.public_net.ipv6.id;
    expect((await api.post(`/primary_ips/${auto}/actions/change_protection`, { delete: true })).status).toBe(422);
  });
});

describe('placement groups', () => {
  it('holds ten servers: the eleventh create is a 422 placement_error, adding one more fails its action', async () => {
    const { api } = fixture;
    const group = (await api.post('/placement_groups', { name: 'spread', type: 'spread' })).body.placement_group;
    for (let i = 0; i < 10; i++) {
      const created = await api.post('/servers', {
        name: `pg-${i}`,
        server_type: 'cx23',
        image: 'debian-12',
        placement_group: group.id,
        public_net: { enable_ipv4: false },
      });
      expect(created.status).toBe(201);
      expect(created.body.server.placement_group).toMatchObject({ id: group.id, type: 'spread' });
    }
    expect((await api.get(`/placement_groups/${group.id}`)).body.placement_group.servers).toHaveLength(10);
    const eleventh = await api.post('/servers', {
      name: 'pg-10',
      server_type: 'cx23',
      image: 'debian-12',
      placement_group: group.id,
    });
    expect(eleventh).toMatchObject({ status: 422, body: { error: { code: 'placement_error' } } });

    const outsider = await api.createServer('outsider', {
      start_after_create: false,
      public_net: { enable_ipv4: false },
    });
    expect(outsider.status).toBe('off');
    const add = await api.post(`/servers/${outsider.id}/actions/add_to_placement_group`, { placement_group: group.id });
    expect(add.status).toBe(201);
    const failed = await api.waitForAction(add.body.action.id);
    expect(failed).toMatchObject({ status: 'error', error: { code: 'placement_error' } });
    expect((await api.get(`/servers/${outsider.id}`)).body.server.placement_group).toBeNull();
    expect((await api.delete(`/placement_groups/${group.id}`)).status).toBe(422);
  });

  it('adds only stopped servers that are in no group yet, and removes them again', async () => {
    const { api } = fixture;
    const group = (await api.post('/placement_groups', { name: 'small', type: 'spread' })).body.placement_group;
    expect(
      (await api.post('/servers/2/actions/add_to_placement_group', { placement_group: group.id })).body.error.code,
    ).toBe('server_not_stopped');
    await powerOff(2);
    const add = await api.post('/servers/2/actions/add_to_placement_group', { placement_group: group.id });
    expect((await api.waitForAction(add.body.action.id)).status).toBe('success');
    expect(
      (await api.post('/servers/2/actions/add_to_placement_group', { placement_group: group.id })).body.error.code,
    ).toBe('already_in_placement_group');
    const remove = await api.post('/servers/2/actions/remove_from_placement_group');
    await api.waitForAction(remove.body.action.id);
    expect((await api.get(`/placement_groups/${group.id}`)).body.placement_group.servers).toEqual([]);
  });
});

describe('server types', () => {
  it('changes type only when off, and never to a smaller disk', async () => {
    const { api } = fixture;
    expect(
      (await api.post('/servers/1/actions/change_type', { server_type: 'cpx22', upgrade_disk: true })).body.error.code,
    ).toBe('server_not_stopped');
    await powerOff(1);
    const up = await api.post('/servers/1/actions/change_type', { server_type: 'cpx22', upgrade_disk: true });
    await api.waitForAction(up.body.action.id);
    expect((await api.get('/servers/1')).body.server).toMatchObject({
      server_type: { name: 'cpx22' },
      primary_disk_size: 80,
    });
    expect(
      await api.post('/servers/1/actions/change_type', { server_type: 'cpx11', upgrade_disk: false }),
    ).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid_server_type' } },
    });
  });
});

describe('networks and private addresses', () => {
  it('attaches servers at the first free host after the gateway, or at the address asked for', async () => {
    const { api } = fixture;
    const network = (
      await api.post('/networks', {
        name: 'lan',
        ip_range: '10.0.0.0/16',
        subnets: [{ type: 'cloud', network_zone: 'eu-central', ip_range: '10.0.0.0/24' }],
      })
    ).body.network;
    expect(network.subnets[0].gateway).toBe('10.0.0.1');
    const attach = async (server: number, body: object = {}) => {
      const answer = await api.post(`/servers/${server}/actions/attach_to_network`, { network: network.id, ...body });
      if (answer.status === 201) await api.waitForAction(answer.body.action.id);
      return answer;
    };
    expect((await attach(1)).status).toBe(201);
    expect((await attach(2, { ip: '10.0.0.7' })).status).toBe(201);
    expect((await attach(1)).body.error.code).toBe('server_already_attached');
    expect((await attach(3, { ip: '10.0.0.7' })).body.error.code).toBe('ip_not_available');
    expect((await attach(3, { ip: '10.0.0.1' })).body.error.code).toBe('ip_not_available');
    expect((await attach(3, { ip: '10.0.5.5' })).body.error.code).toBe('ip_not_available');
    expect((await attach(3, { ip: '10.0.0.0' })).body.error.code).toBe('ip_not_available');
    expect((await attach(3)).status).toBe(201);
    const ips = async () =>
      Object.fromEntries(
        (await api.get('/servers?per_page=50')).body.servers.flatMap((s: any) =>
          s.private_net.map((n: any) => [s.id, n.ip]),
        ),
      );
    expect(await ips()).toEqual({ 1: '10.0.0.2', 2: '10.0.0.7', 3: '10.0.0.3' });
    expect((await api.get(`/networks/${network.id}`)).body.network.servers.sort()).toEqual([1, 2, 3]);

    const detach = await api.post(`/servers/1/actions/detach_from_network`, { network: network.id });
    await api.waitForAction(detach.body.action.id);
    expect((await attach(1)).status).toBe(201);
    expect((await ips())[1]).toBe('10.0.0.2');
  });

  it('needs a subnet in the server’s network zone', async () => {
    const { api } = fixture;
    const far = (
      await api.post('/networks', {
        name: 'far',
        ip_range: '10.1.0.0/16',
        subnets: [{ type: 'cloud', network_zone: 'us-east' }],
      })
    ).body.network;
    expect(far.subnets[0].ip_range).toBe('10.1.0.0/24');
    expect((await api.post('/servers/1/actions/attach_to_network', { network: far.id })).body.error.code).toBe(
      'no_subnet_available',
    );
  });

  it('holds at most 100 servers per network', async () => {
    const { api } = fixture;
    const big = (
      await api.post('/networks', {
        name: 'big',
        ip_range: '10.2.0.0/16',
        subnets: [{ type: 'cloud', network_zone: 'eu-central' }],
      })
    ).body.network;
    for (let i = 0; i < 100; i++) {
      const created = await api.post('/servers', {
        name: `n-${i}`,
        server_type: 'cx23',
        image: 'debian-12',
        networks: [big.id],
        public_net: { enable_ipv4: false, enable_ipv6: false },
      });
      expect(created.status).toBe(201);
    }
    const full = await api.post('/servers', {
      name: 'n-100',
      server_type: 'cx23',
      image: 'debian-12',
      networks: [big.id],
      public_net: { enable_ipv4: false },
    });
    expect(full).toMatchObject({ status: 403, body: { error: { code: 'resource_limit_exceeded' } } });
    expect((await api.post('/servers/2/actions/attach_to_network', { network: big.id })).body.error.code).toBe(
      'resource_limit_exceeded',
    );
    const ips = (await api.get(`/servers?name=n-99`)).body.servers[0].private_net[0].ip;
    expect(ips).toBe('10.2.0.101');
  });
});

describeContract(fixture.recorder);
