// A thousand servers and volumes stay fast: every request is linear at worst, and lists render
// only their page.
import { describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 1 });

describe('a large project', () => {
  it('creates 1000 servers and 1000 volumes, and lists and filters them quickly', async () => {
    const { api } = fixture;
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      const server = await api.post('/servers', { name: `s-${i}`, server_type: 'cx23', image: 'debian-12', location: 'fsn1', labels: { shard: String(i % 10) } });
      expect(server.status).toBe(201);
      const volume = await api.post('/volumes', { name: `v-${i}`, size: 10, location: 'fsn1', labels: { shard: String(i % 10) } });
      expect(volume.status).toBe(201);
    }
    const createMs = Date.now() - started;
    const listStarted = Date.now();
    const shard = await api.get('/servers?label_selector=shard%3D3&per_page=50&page=2&sort=name:desc');
    expect(shard.body.meta.pagination).toMatchObject({ total_entries: 100, last_page: 2 });
    expect(shard.body.servers).toHaveLength(50);
    const volumes = await api.get('/volumes?per_page=50&page=20');
    expect(volumes.body.volumes).toHaveLength(50);
    const listMs = Date.now() - listStarted;
    const ips = new Set((await api.get('/primary_ips?per_page=50&page=20')).body.primary_ips.map((p: any) => p.ip));
    expect(ips.size).toBe(50);
    // Generous bounds: they catch quadratic work, not a slow machine.
    expect(createMs).toBeLessThan(20_000);
    expect(listMs).toBeLessThan(1_000);
  }, 60_000);
});

describeContract(fixture.recorder);
