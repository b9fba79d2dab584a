// The project's server limit: past it, create_server is 403 resource_limit_exceeded, naming the limit.
import { describe, expect, it } from 'vitest';
import { describeContract } from './contract';
import { useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 5, serverLimit: 2 });

describe('project server limit', () => {
  it('creates up to the limit, then refuses with resource_limit_exceeded and creates nothing', async () => {
    const { api } = fixture;
    await api.createServer('one');
    await api.createServer('two');
    const third = await api.post('/servers', {
      name: 'three',
      server_type: 'cpx11',
      image: 'ubuntu-24.04',
      location: 'fsn1',
    });
    expect(third.status).toBe(403);
    expect(third.body.error).toMatchObject({
      code: 'resource_limit_exceeded',
      details: { limits: [{ name: 'project_limit' }] },
    });
    expect((await api.get('/servers')).body.servers.map((s: { name: string }) => s.name)).toEqual(['one', 'two']);
  });
});

describeContract(fixture.recorder);
