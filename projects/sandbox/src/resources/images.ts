// Images: the system images of the catalogue. Snapshots and backups are not modelled.
import { IMAGES, type Image } from '../catalogue';
import type { Handler } from '../http/handler';
import type { Router } from '../http/router';
import { enumParam, listResponse } from '../listing/list-resources';
import { recordAt } from './fields';

export function renderImage(image: Image) {
  return {
    id: image.id,
    type: 'system' as const,
    status: 'available' as const,
    name: image.name,
    description: image.description,
    image_size: null,
    disk_size: 5,
    created: image.created,
    created_from: null,
    bound_to: null,
    os_flavor: image.os_flavor,
    os_version: image.os_version,
    rapid_deploy: true,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: {},
    architecture: image.architecture,
  };
}

export const imageTable: Record<string, Image> = Object.fromEntries(IMAGES.map((i) => [i.id, i]));

const list: Handler = (request) => {
  const { query } = request;
  const types = enumParam(query, 'type', ['system', 'app', 'snapshot', 'backup']);
  const statuses = enumParam(query, 'status', ['available', 'creating', 'unavailable']);
  const architectures = enumParam(query, 'architecture', ['x86', 'arm']);
  const boundTo = query.getAll('bound_to');
  return listResponse(request, {
    key: 'images',
    records: IMAGES,
    render: renderImage,
    sortFields: ['id', 'name', 'created'],
    byName: (i) => i.name,
    labels: () => ({}),
    filters: [
      () => !types || types.has('system'),
      () => !statuses || statuses.has('available'),
      (i) => !architectures || architectures.has(i.architecture),
      // System images are bound to no server.
      () => boundTo.length === 0,
    ],
  });
};

const get: Handler = (request) => ({
  status: 200,
  body: { image: renderImage(recordAt(imageTable, request.params.id, 'Image')) },
});

export function imageRoutes(router: Router<Handler>): void {
  router.get('/images', list).get('/images/{id}', get);
}
