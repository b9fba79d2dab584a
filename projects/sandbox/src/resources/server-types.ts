// Server types: catalogue data with a price per location, listed only where the type is sold.
import {
  INCLUDED_TRAFFIC,
  LOCATIONS,
  PRICES,
  SERVER_TYPES,
  hourly,
  locationById,
  price,
  type ServerType,
} from '../catalogue';
import { ApiError } from '../http/api-error';
import type { Handler } from '../http/handler';
import type { Router } from '../http/router';
import { listResponse } from '../listing/list-resources';
import { recordAt } from './fields';

/** The locations that sell `type`, as Hetzner lists them: a type has prices and a `locations` entry only where it is sold. */
function salesLocations(type: ServerType) {
  return LOCATIONS.filter((location) => type.locations.includes(location.name));
}

/** Hetzner's answer to creating (or rescaling to) a type where it is not sold: 422 invalid_input. */
export function assertSoldIn(type: ServerType, locationId: number): void {
  const location = locationById(locationId);
  if (!location || !type.locations.includes(location.name))
    throw new ApiError(422, 'invalid_input', 'unsupported location for server type');
}

export function serverTypePrices(type: ServerType) {
  return salesLocations(type).map((location) => ({
    location: location.name,
    price_hourly: price(hourly(type.monthly)),
    price_monthly: price(type.monthly),
    included_traffic: INCLUDED_TRAFFIC,
    price_per_tb_traffic: price(PRICES.trafficPerTb),
  }));
}

export function renderServerType(type: ServerType) {
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    cores: type.cores,
    memory: type.memory,
    disk: type.disk,
    deprecated: false,
    prices: serverTypePrices(type),
    storage_type: type.storage_type,
    cpu_type: type.cpu_type,
    category: type.category,
    architecture: type.architecture,
    deprecation: null,
    locations: salesLocations(type).map((l) => ({
      id: l.id,
      name: l.name,
      deprecation: null,
      recommended: l.name === 'fsn1',
      available: true,
    })),
  };
}

const table = Object.fromEntries(SERVER_TYPES.map((t) => [t.id, t]));

const list: Handler = (request) =>
  listResponse(request, {
    key: 'server_types',
    records: SERVER_TYPES,
    render: renderServerType,
    byName: (t) => t.name,
  });

const get: Handler = (request) => ({
  status: 200,
  body: { server_type: renderServerType(recordAt(table, request.params.id, 'Server type')) },
});

export function serverTypeRoutes(router: Router<Handler>): void {
  router.get('/server_types', list).get('/server_types/{id}', get);
}
