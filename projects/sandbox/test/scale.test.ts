// A thousand servers and volumes stay fast: a create costs about the same with 1000 resources as
// with 100, and a listed page grows at most linearly with the collection. Measured as growth between
// the two sizes inside this test, with a margin for a noisy machine: it catches work that grows with
// the square of the resources, not a slow machine.
import { describe, expect, it } from 'vitest';
import { median } from '../../../tools/test-support/growth';
import { describeContract } from './contract';
import { useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 1 });

/** The ms one awaited call takes. */
async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

describe('a large project', () => {
  it('creates 1000 servers and 1000 volumes, and lists and filters them, in time that does not grow with their number', async () => {
    const { api } = fixture;
    const createMs: number[] = [];
    const listMs = new Map<number, number[]>();
    const listPages = async (created: number) => {
      const samples: number[] = [];
      // The first rounds only warm up the code paths: a cold page costs several warm ones.
      for (let i = 0; i < 5; i++) await api.get('/servers?label_selector=shard%3D3&per_page=10&page=1&sort=name:desc');
      for (let i = 0; i < 11; i++) {
        samples.push(await timed(() => api.get('/servers?label_selector=shard%3D3&per_page=10&page=1&sort=name:desc')));
        samples.push(await timed(() => api.get('/volumes?per_page=50&page=2')));
      }
      listMs.set(created, samples);
    };
    for (let i = 0; i < 1000; i++) {
      createMs.push(
        await timed(async () => {
          const server = await api.post('/servers', {
            name: `s-${i}`,
            server_type: 'cx23',
            image: 'debian-12',
            location: 'fsn1',
            labels: { shard: String(i % 10) },
          });
          expect(server.status).toBe(201);
          const volume = await api.post('/volumes', {
            name: `v-${i}`,
            size: 10,
            location: 'fsn1',
            labels: { shard: String(i % 10) },
          });
          expect(volume.status).toBe(201);
        }),
      );
      if (i + 1 === 100 || i + 1 === 1000) await listPages(i + 1);
    }
    const shard = await api.get('/servers?label_selector=shard%3D3&per_page=50&page=2&sort=name:desc');
    expect(shard.body.meta.pagination).toMatchObject({ total_entries: 100, last_page: 2 });
    expect(shard.body.servers).toHaveLength(50);
    const volumes = await api.get('/volumes?per_page=50&page=20');
    expect(volumes.body.volumes).toHaveLength(50);
    const ips = new Set((await api.get('/primary_ips?per_page=50&page=20')).body.primary_ips.map((p: any) => p.ip));
    expect(ips.size).toBe(50);

    // Creating the last hundred pairs against pairs 51–150: per-request work that grew with the world
    // (a quadratic run) would make it up to ×10; a constant cost keeps it near ×1.
    const createGrowth = median(createMs.slice(900)) / median(createMs.slice(50, 150));
    expect(
      createGrowth,
      `a create took ×${createGrowth.toFixed(1)} as long with 1000 resources as with 100`,
    ).toBeLessThan(4);
    // A page from 1000 against the same page from 100: filtering is linear and the page has the same
    // size, so it stays well below ×10; quadratic filtering or sorting would be ×100.
    const listGrowth = median(listMs.get(1000)!) / median(listMs.get(100)!);
    expect(
      listGrowth,
      `a listed page took ×${listGrowth.toFixed(1)} as long with 1000 resources as with 100`,
    ).toBeLessThan(6);
  }, 60_000);
});

describeContract(fixture.recorder);
