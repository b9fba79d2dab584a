// The action lifecycle, driven by a hand-held clock: running with growing progress, then success
// or error; locks while running; reading actions by id, per type and per resource.
import { describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { useSandbox } from './sandbox-fixture';

const clock = { now: Date.UTC(2026, 0, 1, 12, 0, 0) };
const advance = (ms: number) => {
  clock.now += ms;
};
const fixture = useSandbox({ actionMs: 1000, clock: () => clock.now });
const small = useSandbox({ rateLimit: { capacity: 3, refillPerSecond: 1 }, clock: () => clock.now });

describe('action lifecycle', () => {
  it('runs for SANDBOX_ACTION_MS with growing progress, then succeeds', async () => {
    const { api } = fixture;
    const created = await api.post('/servers', {
      name: 'life',
      server_type: 'cpx11',
      image: 'debian-12',
      location: 'nbg1',
    });
    expect(created.status).toBe(201);
    const { action, next_actions, server } = created.body;
    expect(action).toMatchObject({
      command: 'create_server',
      status: 'running',
      progress: 0,
      finished: null,
      error: null,
      resources: [{ id: server.id, type: 'server' }],
    });
    expect(action.started).toBe('2026-01-01T12:00:00+00:00');
    expect(next_actions).toMatchObject([
      { command: 'start_server', status: 'running', resources: [{ id: server.id, type: 'server' }] },
    ]);
    expect(server).toMatchObject({ status: 'initializing', locked: true });

    advance(500);
    expect((await api.get(`/actions/${action.id}`)).body.action).toMatchObject({ status: 'running', progress: 50 });
    advance(500);
    expect((await api.get(`/actions/${action.id}`)).body.action).toMatchObject({
      status: 'success',
      progress: 100,
      finished: '2026-01-01T12:00:01+00:00',
    });
    expect((await api.get(`/servers/${server.id}`)).body.server).toMatchObject({ status: 'starting', locked: true });
    advance(1000);
    expect((await api.get(`/actions/${next_actions[0].id}`)).body.action).toMatchObject({
      status: 'success',
      progress: 100,
    });
    expect((await api.get(`/servers/${server.id}`)).body.server).toMatchObject({ status: 'running', locked: false });
  });

  it('shows transitional statuses and applies the change when the action succeeds', async () => {
    const { api } = fixture;
    const off = await api.post('/servers/1/actions/poweroff');
    expect(off.status).toBe(201);
    expect(off.body.action.command).toBe('stop_server');
    expect((await api.get('/servers/1')).body.server.status).toBe('stopping');
    advance(1000);
    expect((await api.get('/servers/1')).body.server.status).toBe('off');
    await api.post('/servers/1/actions/poweron');
    expect((await api.get('/servers/1')).body.server.status).toBe('starting');
    advance(1000);
    expect((await api.get('/servers/1')).body.server.status).toBe('running');
  });

  it('locks a resource while an action runs on it: 423 locked', async () => {
    const { api } = fixture;
    const reboot = await api.post('/servers/1/actions/reboot');
    expect(reboot.status).toBe(201);
    const refused = await api.post('/servers/1/actions/poweroff');
    expect(refused.status).toBe(423);
    expect(refused.body.error.code).toBe('locked');
    expect((await api.delete('/servers/1')).status).toBe(423);
    // Reading and relabelling stay possible.
    expect((await api.put('/servers/1', { labels: { a: 'b' } })).status).toBe(200);
    advance(1000);
    expect((await api.post('/servers/1/actions/poweroff')).status).toBe(201);
    advance(1000);
  });
});

describe('reading actions', () => {
  it('GET /actions?id=… returns the asked actions, and needs at least one id', async () => {
    const { api } = fixture;
    const many = await api.get('/actions?id=1&id=3&id=999');
    expect(many.status).toBe(200);
    expect(many.body.actions.map((a: any) => a.id)).toEqual([1, 3]);
    expect((await api.get('/actions')).status).toBe(422);
    expect((await api.get('/actions/999')).status).toBe(404);
  });

  it('lists actions per resource, filtered by status and sorted', async () => {
    const { api } = fixture;
    const all = await api.get('/servers/1/actions?sort=id:desc');
    expect(all.body.actions.map((a: any) => a.command)).toEqual([
      'stop_server',
      'reboot_server',
      'start_server',
      'stop_server',
      'start_server',
      'create_server',
    ]);
    await api.post('/servers/1/actions/poweron');
    const running = await api.get('/servers/1/actions?status=running');
    expect(running.body.actions.map((a: any) => a.command)).toEqual(['start_server']);
    expect((await api.get('/servers/1/actions?status=sleeping')).status).toBe(422);
    const byCommand = await api.get('/servers/1/actions?sort=command&per_page=2');
    expect(byCommand.body.actions.map((a: any) => a.command)).toEqual(['create_server', 'reboot_server']);
    advance(1000);
  });

  it('lists actions per resource type, by id, and refuses an action of another resource', async () => {
    const { api } = fixture;
    const volume = await api.post('/volumes', { name: 'data', size: 10, location: 'nbg1' });
    advance(1000);
    const servers = await api.get('/servers/actions?per_page=50');
    expect(servers.body.actions.every((a: any) => a.resources.some((r: any) => r.type === 'server'))).toBe(true);
    expect((await api.get('/servers/actions?id=1')).body.actions.map((a: any) => a.id)).toEqual([1]);
    expect((await api.get('/volumes/actions')).body.actions.map((a: any) => a.command)).toEqual(['create_volume']);
    const volumeAction = volume.body.action.id;
    expect((await api.get(`/volumes/actions/${volumeAction}`)).status).toBe(200);
    expect((await api.get(`/servers/actions/${volumeAction}`)).status).toBe(404);
    expect((await api.get(`/volumes/${volume.body.volume.id}/actions/${volumeAction}`)).body.action.status).toBe(
      'success',
    );
    expect((await api.get(`/servers/1/actions/${volumeAction}`)).status).toBe(404);
    expect((await api.get('/servers/77/actions')).status).toBe(404);
  });
});

describe('a firewall being applied', () => {
  it('shows as pending on the server until its action ends', async () => {
    const { api } = fixture;
    const created = await api.post('/firewalls', { name: 'fw', apply_to: [{ type: 'server', server: { id: 1 } }] });
    expect((await api.get('/servers/1')).body.server.public_net.firewalls).toEqual([
      { id: created.body.firewall.id, status: 'pending' },
    ]);
    advance(1000);
    expect((await api.get('/servers/1')).body.server.public_net.firewalls).toEqual([
      { id: created.body.firewall.id, status: 'applied' },
    ]);
    const removed = await api.post(`/firewalls/${created.body.firewall.id}/actions/remove_from_resources`, {
      remove_from: [{ type: 'server', server: { id: 1 } }],
    });
    expect(removed.status).toBe(201);
    advance(1000);
  });
});

describe('a delete that runs', () => {
  it('shows the server as deleting until its action ends, then it is gone', async () => {
    const { api } = fixture;
    const deleting = await api.delete('/servers/1');
    expect(deleting.status).toBe(200);
    expect(deleting.body.action.command).toBe('delete_server');
    expect((await api.get('/servers/1')).body.server.status).toBe('deleting');
    advance(1000);
    expect((await api.get('/servers/1')).status).toBe(404);
    expect((await api.get(`/actions/${deleting.body.action.id}`)).body.action.status).toBe('success');
  });
});

describe('a server being deleted', () => {
  it('has let go of everything it held while its delete action still runs, in every handler', async () => {
    const { api } = fixture;
    const network = (
      await api.post('/networks', {
        name: 'going-net',
        ip_range: '10.9.0.0/16',
        subnets: [{ type: 'cloud', network_zone: 'eu-central', ip_range: '10.9.1.0/24' }],
      })
    ).body.network;
    const group = (await api.post('/placement_groups', { name: 'going-group', type: 'spread' })).body.placement_group;
    const volume = (await api.post('/volumes', { name: 'going-data', size: 10, location: 'fsn1' })).body.volume;
    const direct = (await api.post('/firewalls', { name: 'going-direct' })).body.firewall;
    const selector = (
      await api.post('/firewalls', {
        name: 'going-selector',
        apply_to: [{ type: 'label_selector', label_selector: { selector: 'going=yes' } }],
      })
    ).body.firewall;
    advance(1000);
    const created = await api.post('/servers', {
      name: 'going',
      server_type: 'cpx11',
      image: 'debian-12',
      location: 'fsn1',
      labels: { going: 'yes' },
      networks: [network.id],
      placement_group: group.id,
      volumes: [volume.id],
      firewalls: [{ firewall: direct.id }],
    });
    expect(created.status).toBe(201);
    advance(5000);
    const id = created.body.server.id;
    expect((await api.get(`/firewalls/${selector.id}`)).body.firewall.applied_to[0].applied_to_resources).toEqual([
      { type: 'server', server: { id } },
    ]);

    const deleting = await api.delete(`/servers/${id}`);
    expect(deleting.status).toBe(200);
    expect((await api.get(`/servers/${id}`)).body.server).toMatchObject({
      status: 'deleting',
      private_net: [],
      placement_group: null,
      volumes: [],
    });
    expect((await api.get(`/firewalls/${selector.id}`)).body.firewall.applied_to[0].applied_to_resources).toEqual([]);
    expect((await api.get(`/volumes/${volume.id}`)).body.volume.server).toBeNull();
    expect((await api.delete(`/firewalls/${direct.id}`)).status).toBe(204);
    expect((await api.delete(`/placement_groups/${group.id}`)).status).toBe(204);
    expect((await api.delete(`/networks/${network.id}`)).status).toBe(204);
    expect((await api.delete(`/volumes/${volume.id}`)).status).toBe(204);
    advance(1000);
    expect((await api.get(`/servers/${id}`)).status).toBe(404);
    expect((await api.get(`/actions/${deleting.body.action.id}`)).body.action.status).toBe('success');
  });
});

describe('rate limiting', () => {
  it('answers 429 rate_limit_exceeded when the bucket is empty, and refills one per second', async () => {
    const { api } = small;
    const t = Math.ceil(clock.now / 1000);
    for (let i = 2; i >= 0; i--) {
      const answer = await api.get('/locations');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit-remaining')).toBe(String(i));
    }
    const refused = await api.get('/locations');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limit_exceeded');
    expect(refused.headers.get('ratelimit-limit')).toBe('3');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe(String(t + 3));
    advance(1000);
    expect((await api.get('/locations')).status).toBe(200);
    expect((await api.get('/locations')).status).toBe(429);
    // The sandbox's own endpoints are not limited.
    expect((await fetch(small.sandbox.url.replace(/\/v1$/, '/__sandbox/stats'))).status).toBe(200);
  });
});

describeContract(fixture.recorder);
describeContract(small.recorder);
