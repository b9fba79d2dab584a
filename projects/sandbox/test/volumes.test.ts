// Volumes: creation next to a server, the same-location rule, no deleting while attached, resizing.
import { describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { useSandbox } from './sandbox-fixture';

// A hand-held clock: an action runs until the test moves time past its end.
const clock = { now: Date.UTC(2026, 2, 1) };
const fixture = useSandbox({ actionMs: 1000, clock: () => clock.now });

/** Lets every running action finish. */
function settle<T>(answer: T): T {
  clock.now += 2000;
  return answer;
}

async function createServer(name: string, location: string) {
  const created = settle(
    await fixture.api.post('/servers', { name, server_type: 'cpx11', image: 'debian-12', location }),
  );
  return (await fixture.api.get(`/servers/${created.body.server.id}`)).body.server;
}

describe('volumes', () => {
  it('creates a volume in a location, or attached to a server with a next action', async () => {
    const { api } = fixture;
    const loose = await settle(
      await api.post('/volumes', {
        name: 'loose',
        size: 10,
        location: 'fsn1',
        format: 'ext4',
        labels: { tier: 'warm' },
      }),
    );
    expect(loose.status).toBe(201);
    expect(loose.body.volume).toMatchObject({
      name: 'loose',
      size: 10,
      server: null,
      location: { name: 'fsn1' },
      format: 'ext4',
      labels: { tier: 'warm' },
      linux_device: `/dev/disk/by-id/scsi-0HC_Volume_${loose.body.volume.id}`,
      status: 'creating',
    });
    expect(loose.body.next_actions).toEqual([]);
    expect((await api.get(`/volumes/${loose.body.volume.id}`)).body.volume.status).toBe('available');
    expect((await api.get('/volumes?status=creating')).body.volumes).toEqual([]);

    const server = await createServer('db', 'nbg1');
    const attached = await settle(await api.post('/volumes', { name: 'attached', size: 500, server: server.id }));
    expect(attached.body.next_actions).toMatchObject([{ command: 'attach_volume' }]);
    expect((await api.get(`/volumes/${attached.body.volume.id}`)).body.volume).toMatchObject({
      server: server.id,
      location: { name: 'nbg1' },
    });
    expect((await api.get(`/servers/${server.id}`)).body.server.volumes).toEqual([attached.body.volume.id]);
  });

  it('validates size, name, location and uniqueness', async () => {
    const { api } = fixture;
    expect((await api.post('/volumes', { name: 'tiny', size: 5, location: 'fsn1' })).status).toBe(422);
    expect((await api.post('/volumes', { name: 'huge', size: 10241, location: 'fsn1' })).status).toBe(422);
    expect((await api.post('/volumes', { name: '-bad-', size: 10, location: 'fsn1' })).status).toBe(422);
    expect((await api.post('/volumes', { name: 'nowhere', size: 10 })).body.error.details.fields[0].name).toBe(
      'location',
    );
    expect((await api.post('/volumes', { name: 'loose', size: 10, location: 'fsn1' })).body.error.code).toBe(
      'uniqueness_error',
    );
    expect((await api.post('/volumes', { name: 'split', size: 10, location: 'hel1', server: 1 })).status).toBe(422);
  });

  it('attaches only to a server of the same location, and only once', async () => {
    const { api } = fixture;
    const loose = (await api.get('/volumes?name=loose')).body.volumes[0];
    const far = await api.post(`/volumes/${loose.id}/actions/attach`, { server: 1 });
    expect(far.status).toBe(422);
    expect(far.body.error.message).toContain('location');
    const near = await createServer('near', 'fsn1');
    const attach = await api.post(`/volumes/${loose.id}/actions/attach`, { server: near.id, automount: false });
    expect(attach.body.action).toMatchObject({
      command: 'attach_volume',
      resources: [
        { id: loose.id, type: 'volume' },
        { id: near.id, type: 'server' },
      ],
    });
    // While the attach runs, the volume and the server are both locked.
    expect((await api.post(`/volumes/${loose.id}/actions/detach`)).status).toBe(423);
    expect((await api.post(`/servers/${near.id}/actions/poweroff`)).status).toBe(423);
    expect((await api.get(`/volumes/${loose.id}`)).body.volume.server).toBe(near.id);
    settle(attach);
    expect((await api.get(`/actions/${attach.body.action.id}`)).body.action.status).toBe('success');
    expect((await api.post(`/volumes/${loose.id}/actions/attach`, { server: near.id })).status).toBe(422);
    expect((await api.get(`/volumes/${loose.id}`)).body.volume.server).toBe(near.id);
  });

  it('refuses to delete an attached or protected volume', async () => {
    const { api } = fixture;
    const loose = (await api.get('/volumes?name=loose')).body.volumes[0];
    expect(await api.delete(`/volumes/${loose.id}`)).toMatchObject({
      status: 422,
      body: { error: { code: 'service_error' } },
    });
    await settle(await api.post(`/volumes/${loose.id}/actions/detach`));
    await settle(await api.post(`/volumes/${loose.id}/actions/change_protection`, { delete: true }));
    expect(await api.delete(`/volumes/${loose.id}`)).toMatchObject({
      status: 423,
      body: { error: { code: 'protected' } },
    });
    await settle(await api.post(`/volumes/${loose.id}/actions/change_protection`, { delete: false }));
    expect((await api.delete(`/volumes/${loose.id}`)).status).toBe(204);
    expect((await api.get(`/volumes/${loose.id}`)).status).toBe(404);
  });

  it('grows but never shrinks', async () => {
    const { api } = fixture;
    const volume = (await api.get('/volumes?name=attached')).body.volumes[0];
    expect((await api.post(`/volumes/${volume.id}/actions/resize`, { size: 400 })).status).toBe(422);
    await settle(await api.post(`/volumes/${volume.id}/actions/resize`, { size: 600 }));
    expect((await api.get(`/volumes/${volume.id}`)).body.volume.size).toBe(600);
    expect((await api.put(`/volumes/${volume.id}`, { name: 'renamed', labels: { a: '1' } })).body.volume).toMatchObject(
      { name: 'renamed', labels: { a: '1' } },
    );
  });

  it('attaches at most 16 volumes to one server, as Hetzner does: created beside it, attached, or given at creation', async () => {
    const { api } = fixture;
    const full = await createServer('full', 'hel1');
    for (let i = 0; i < 16; i++)
      expect(settle(await api.post('/volumes', { name: `full-${i}`, size: 10, server: full.id })).status).toBe(201);
    const count = async () => (await api.get('/volumes')).body.meta.pagination.total_entries;
    const before = await count();
    const beside = await api.post('/volumes', { name: 'full-16', size: 10, server: full.id });
    expect(beside).toMatchObject({
      status: 403,
      body: { error: { code: 'resource_limit_exceeded', details: { limits: [{ name: 'volumes_per_server' }] } } },
    });
    expect(beside.body.error.message).toMatch(/has 16 volumes attached; a server can have at most 16/);
    const loose = settle(await api.post('/volumes', { name: 'full-loose', size: 10, location: 'hel1' })).body.volume;
    expect(await api.post(`/volumes/${loose.id}/actions/attach`, { server: full.id })).toMatchObject({
      status: 403,
      body: { error: { code: 'resource_limit_exceeded' } },
    });
    expect((await api.get(`/volumes/${loose.id}`)).body.volume.server).toBeNull();
    expect(await count()).toBe(before + 1);

    const spare = [];
    for (let i = 0; i < 16; i++)
      spare.push(settle(await api.post('/volumes', { name: `spare-${i}`, size: 10, location: 'hel1' })).body.volume.id);
    const crowded = await api.post('/servers', {
      name: 'crowded',
      server_type: 'cpx11',
      image: 'debian-12',
      location: 'hel1',
      volumes: [...spare, loose.id],
    });
    expect(crowded).toMatchObject({
      status: 403,
      body: { error: { code: 'resource_limit_exceeded', details: { limits: [{ name: 'volumes_per_server' }] } } },
    });
    expect((await api.get('/servers?name=crowded')).body.servers).toEqual([]);
  });
});

describeContract(fixture.recorder);
