import { describe, expect, it } from 'vitest';
import { datacenter, image, location, page, serverType } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as catalog from './catalog';

const api = useFakeHetzner();

describe('catalog', () => {
  it('looks server types, locations and datacenters up by name', async () => {
    api.fake.on('GET', '/server_types', { status: 200, body: page('server_types', [serverType()]) });
    api.fake.on('GET', '/locations', { status: 200, body: page('locations', [location()]) });
    api.fake.on('GET', '/datacenters', {
      status: 200,
      body: { ...page('datacenters', [datacenter()]), recommendation: 2 },
    });
    expect(await catalog.listServerTypes(api.client, { name: 'ccx23' })).toEqual([serverType()]);
    expect(await catalog.listLocations(api.client, { name: 'fsn1' })).toEqual([location()]);
    expect(await catalog.listDatacenters(api.client, { name: 'fsn1-dc14' })).toEqual([datacenter()]);
    expect(api.fake.requests.map((r) => `${r.path}?${r.rawQuery}`)).toEqual([
      '/server_types?name=ccx23&page=1&per_page=50',
      '/locations?name=fsn1&page=1&per_page=50',
      '/datacenters?name=fsn1-dc14&page=1&per_page=50',
    ]);
  });

  it('lists everything when no name is given', async () => {
    api.fake.on('GET', '/locations', {
      status: 200,
      body: page('locations', [location(), location({ id: 2, name: 'nbg1' })]),
    });
    expect((await catalog.listLocations(api.client)).map((l) => l.name)).toEqual(['fsn1', 'nbg1']);
    expect(api.fake.requests[0]?.rawQuery).toBe('page=1&per_page=50');
  });

  it('finds images by name, type and architecture', async () => {
    api.fake.on('GET', '/images', { status: 200, body: page('images', [image()]) });
    expect(await catalog.listImages(api.client, { name: 'debian-12', type: ['system'], architecture: 'x86' })).toEqual([
      image(),
    ]);
    expect(api.fake.requests[0]?.rawQuery).toBe('name=debian-12&type=system&architecture=x86&page=1&per_page=50');
  });
});
