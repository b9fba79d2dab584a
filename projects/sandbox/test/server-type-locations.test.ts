// Server types are sold only in some locations (Arm only in Germany and Finland). The sandbox answers
// from the cluster library's catalogue, so it refuses exactly what validation refuses, the way Hetzner does.
import { describe, expect, it } from 'vitest';
import { SERVER_TYPE_OFFERS } from '@personal-cloud/cluster';
import { describeContract } from './contract';
import { useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 5 });

/** Hetzner's answer to a type its location does not sell. */
function expectUnsupportedLocation(answer: { status: number; body: any }) {
  expect(answer.status).toBe(422);
  expect(answer.body.error).toMatchObject({ code: 'invalid_input', message: 'unsupported location for server type' });
}

/** Creates a server and waits for its actions, so the next request finds it unlocked. */
async function createSettled(body: Record<string, unknown>) {
  const created = await fixture.api.post('/servers', body);
  expect(created.status).toBe(201);
  for (const action of [created.body.action, ...created.body.next_actions]) await fixture.api.waitForAction(action.id);
  return created;
}

describe('where server types are sold', () => {
  it('lists, prices and offers each type only in the locations the cluster catalogue names', async () => {
    const { api } = fixture;
    for (const type of (await api.get('/server_types?per_page=50')).body.server_types) {
      const sold = [...SERVER_TYPE_OFFERS[type.name as keyof typeof SERVER_TYPE_OFFERS].locations].sort();
      expect(type.locations.map((l: any) => l.name).sort(), type.name).toEqual(sold);
      expect(type.prices.map((p: any) => p.location).sort(), type.name).toEqual(sold);
    }
    const arm = (await api.get('/server_types?name=cax11')).body.server_types[0];
    expect(arm.locations.map((l: any) => l.name)).toEqual(['fsn1', 'nbg1', 'hel1']);
    const ashburn = (await api.get('/datacenters?name=ash-dc1')).body.datacenters[0];
    expect(ashburn.server_types.available).not.toContain(arm.id);
    expect((await api.get('/datacenters?name=hel1-dc2')).body.datacenters[0].server_types.available).toContain(arm.id);
    const pricing = (await api.get('/pricing')).body.pricing.server_types.find((t: any) => t.name === 'cax11');
    expect(pricing.prices.map((p: any) => p.location)).toEqual(['fsn1', 'nbg1', 'hel1']);
  });

  it('refuses a server of a type its location does not sell as Hetzner does (422 invalid_input), and creates it where sold', async () => {
    const { api } = fixture;
    // cx23 rather than cax11: the sandbox has no Arm images, so an Arm create stops at the image first.
    const refused = await api.post('/servers', {
      name: 'cx-us',
      server_type: 'cx23',
      image: 'ubuntu-24.04',
      location: 'ash',
    });
    expectUnsupportedLocation(refused);
    expect((await api.get('/servers?name=cx-us')).body.servers).toEqual([]);
    await createSettled({ name: 'cx-eu', server_type: 'cx23', image: 'ubuntu-24.04', location: 'hel1' });
  });

  it('refuses to rescale a server to a type its location does not sell', async () => {
    const { api } = fixture;
    const created = await createSettled({
      name: 'us-1',
      server_type: 'cpx11',
      image: 'ubuntu-24.04',
      location: 'ash',
      start_after_create: false,
    });
    const rescale = await api.post(`/servers/${created.body.server.id}/actions/change_type`, {
      server_type: 'cx23',
      upgrade_disk: false,
    });
    expectUnsupportedLocation(rescale);
  });
});

describeContract(fixture.recorder);
