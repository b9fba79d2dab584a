// Datacenters: catalogue data, read only; a datacenter offers the server types its location sells.
import { DATACENTERS, RECOMMENDED_DATACENTER, SERVER_TYPES, locationById, type Datacenter } from '../catalogue';
import type { Handler } from '../http/handler';
import type { Router } from '../http/router';
import { listResponse } from '../listing/list-resources';
import { recordAt } from './fields';
import { renderLocation } from './locations';

export function renderDatacenter(datacenter: Datacenter) {
  const location = locationById(datacenter.location)!;
  const ids = SERVER_TYPES.filter((t) => t.locations.includes(location.name)).map((t) => t.id);
  return {
    id: datacenter.id,
    name: datacenter.name,
    description: datacenter.description,
    location: renderLocation(location),
    server_types: { supported: ids, available: ids, available_for_migration: ids },
  };
}

const table = Object.fromEntries(DATACENTERS.map((d) => [d.id, d]));

const list: Handler = (request) => {
  const result = listResponse(request, {
    key: 'datacenters',
    records: DATACENTERS,
    render: renderDatacenter,
    sortFields: ['id', 'name'],
    byName: (d) => d.name,
  });
  return { ...result, body: { ...(result.body as object), recommendation: RECOMMENDED_DATACENTER } };
};

const get: Handler = (request) => ({
  status: 200,
  body: { datacenter: renderDatacenter(recordAt(table, request.params.id, 'Datacenter')) },
});

export function datacenterRoutes(router: Router<Handler>): void {
  router.get('/datacenters', list).get('/datacenters/{id}', get);
}
