// Locations: catalogue data, read only.
import { LOCATIONS, type Location } from '../catalogue';
import type { Handler } from '../http/handler';
import type { Router } from '../http/router';
import { listResponse } from '../listing/list-resources';
import { recordAt } from './fields';

export function renderLocation(location: Location) {
  return { ...location };
}

const table = Object.fromEntries(LOCATIONS.map((l) => [l.id, l]));

const list: Handler = (request) =>
  listResponse(request, {
    key: 'locations',
    records: LOCATIONS,
    render: renderLocation,
    sortFields: ['id', 'name'],
    byName: (l) => l.name,
  });

const get: Handler = (request) => ({
  status: 200,
  body: { location: renderLocation(recordAt(table, request.params.id, 'Location')) },
});

export function locationRoutes(router: Router<Handler>): void {
  router.get('/locations', list).get('/locations/{id}', get);
}
