// Volumes: block storage in one location. A volume attaches only to a server of its own location,
// and cannot be deleted while attached.
import { LIMITS } from '@personal-cloud/cluster';
import { z } from 'zod';
import { LOCATIONS, datacenterById, findByIdOrName, locationById } from '../catalogue';
import { ApiError, invalidField, resourceLimitExceeded } from '../http/api-error';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { enumParam, listResponse } from '../listing/list-resources';
import { formatTime, renderAction, runningOn } from '../world/actions';
import { assertUnlocked, followingFailure, startAction, type WorldContext } from '../world/context';
import { removeResource } from '../world/removal';
import type { VolumeRecord } from '../world/world';
import { nextId } from '../world/world';
import {
  assertUniqueName,
  copyLabels,
  idField,
  labelsField,
  protectedAgainst,
  recordAt,
  referenced,
  volumeName,
} from './fields';
import { renderLocation } from './locations';

// Hetzner's limits come from the one catalogue that config validation also uses.
export const VOLUME_MIN_GB = LIMITS.volumeMinGb;
export const VOLUME_MAX_GB = LIMITS.volumeMaxGb;
export const VOLUMES_PER_SERVER = LIMITS.volumesPerServer;

const size = z
  .number()
  .int()
  .min(VOLUME_MIN_GB, `must be at least ${VOLUME_MIN_GB} GB`)
  .max(VOLUME_MAX_GB, `must be at most ${VOLUME_MAX_GB} GB`);
const createBody = z.object({
  size,
  name: volumeName,
  labels: labelsField.optional(),
  automount: z.boolean().optional(),
  format: z.enum(['ext4', 'xfs']).optional(),
  location: z.union([z.string(), z.number().int()]).optional(),
  server: idField.optional(),
});
const updateBody = z.object({ name: volumeName.optional(), labels: labelsField.optional() });
const attachBody = z.object({ server: idField, automount: z.boolean().optional() });
const resizeBody = z.object({ size: z.number().max(VOLUME_MAX_GB, `must be at most ${VOLUME_MAX_GB} GB`) });
const protectionBody = z.object({ delete: z.boolean().optional() });

function volumeStatus(context: WorldContext, volume: VolumeRecord): 'available' | 'creating' {
  return runningOn(context.running(), 'volume', volume.id).some((a) => a.command === 'create_volume')
    ? 'creating'
    : 'available';
}

export function renderVolume(context: WorldContext, volume: VolumeRecord) {
  return {
    id: volume.id,
    created: formatTime(volume.created),
    name: volume.name,
    server: volume.server,
    location: renderLocation(locationById(volume.location)!),
    size: volume.size,
    linux_device: volume.linux_device,
    protection: { ...volume.protection },
    labels: { ...volume.labels },
    status: volumeStatus(context, volume),
    format: volume.format,
  };
}

/** 403 resource_limit_exceeded when `adding` more volumes would put the server past its limit. */
export function assertVolumeRoom(context: WorldContext, serverId: number, adding: number): void {
  const attached = context.relations().volumesOf(serverId).length;
  if (attached + adding > VOLUMES_PER_SERVER)
    throw resourceLimitExceeded(
      'volumes_per_server',
      `server ${serverId} has ${attached} volumes attached; a server can have at most ${VOLUMES_PER_SERVER}`,
    );
}

function serverLocation(context: WorldContext, serverId: number): number {
  return datacenterById(context.world.servers[serverId]!.datacenter)!.location;
}

const list: Handler = (request, context) => {
  const statuses = enumParam(request.query, 'status', ['available', 'creating']);
  return listResponse(request, {
    key: 'volumes',
    records: Object.values(context.world.volumes),
    render: (v) => renderVolume(context, v),
    sortFields: ['id', 'name', 'created'],
    byName: (v) => v.name,
    labels: (v) => v.labels,
    filters: statuses ? [(v) => statuses.has(volumeStatus(context, v))] : [],
  });
};

const create: Handler = (request, context) => {
  const body = parseBody(createBody, request.body);
  const { world } = context;
  let locationId: number | undefined;
  if (body.location !== undefined) {
    const location = findByIdOrName(LOCATIONS, body.location);
    if (!location) throw invalidField('location', `location "${body.location}" not found`);
    locationId = location.id;
  }
  if (body.server !== undefined) {
    const server = referenced(world.servers, body.server, 'server', 'Server');
    assertUnlocked(context, { type: 'server', id: server.id });
    const at = serverLocation(context, server.id);
    if (locationId !== undefined && locationId !== at)
      throw invalidField(
        'location',
        `server ${server.id} is in another location; a volume attaches only to a server of its own location`,
      );
    assertVolumeRoom(context, server.id, 1);
    locationId = at;
  }
  if (locationId === undefined) throw invalidField('location', 'is required unless a server is given');
  assertUniqueName(world.volumes, body.name, 'Volume');
  const id = nextId(world, 'volumes');
  const volume: VolumeRecord = {
    id,
    name: body.name,
    created: context.now,
    labels: copyLabels(body.labels),
    location: locationId,
    size: body.size,
    server: null,
    automount: body.automount ?? false,
    protection: { delete: false },
    format: body.format ?? null,
    linux_device: `/dev/disk/by-id/scsi-0HC_Volume_${id}`,
  };
  world.volumes[id] = volume;
  const action = startAction(context, {
    command: 'create_volume',
    resources: [{ id, type: 'volume' }],
    onFailure: { remove: { type: 'volume', id } },
  });
  const next = [];
  if (body.server !== undefined) {
    const attach = startAction(context, {
      command: 'attach_volume',
      resources: [
        { id, type: 'volume' },
        { id: body.server, type: 'server' },
      ],
      failure: action.failure ? followingFailure(action) : context.planFailure(),
      lengths: 2,
    });
    if (!attach.failure) volume.server = body.server;
    next.push(attach);
  }
  return {
    status: 201,
    body: {
      volume: renderVolume(context, volume),
      action: renderAction(action, context.now),
      next_actions: next.map((a) => renderAction(a, context.now)),
    },
  };
};

const volumeAt = (context: WorldContext, raw: string | undefined) => recordAt(context.world.volumes, raw, 'Volume');

const get: Handler = (request, context) => ({
  status: 200,
  body: { volume: renderVolume(context, volumeAt(context, request.params.id)) },
});

const update: Handler = (request, context) => {
  const volume = volumeAt(context, request.params.id);
  const body = parseBody(updateBody, request.body);
  if (body.name !== undefined) {
    assertUniqueName(context.world.volumes, body.name, 'Volume', volume.id);
    volume.name = body.name;
  }
  if (body.labels !== undefined) volume.labels = copyLabels(body.labels);
  context.changed();
  return { status: 200, body: { volume: renderVolume(context, volume) } };
};

const remove: Handler = (request, context) => {
  const volume = volumeAt(context, request.params.id);
  if (volume.protection.delete) throw protectedAgainst(`Volume ${volume.id}`, 'deletion');
  assertUnlocked(context, { type: 'volume', id: volume.id });
  if (volume.server !== null)
    throw new ApiError(422, 'service_error', `volume with ID '${volume.id}' is still attached to a server`);
  removeResource(context.world, 'volume', volume.id);
  context.changed();
  return { status: 204 };
};

const attach: Handler = (request, context) => {
  const volume = volumeAt(context, request.params.id);
  const body = parseBody(attachBody, request.body);
  const server = referenced(context.world.servers, body.server, 'server', 'Server');
  assertUnlocked(context, { type: 'volume', id: volume.id }, { type: 'server', id: server.id });
  if (volume.server !== null)
    throw invalidField('server', `volume ${volume.id} is already attached to server ${volume.server}; detach it first`);
  if (serverLocation(context, server.id) !== volume.location)
    throw invalidField(
      'server',
      `server ${server.id} is in another location than volume ${volume.id}; a volume attaches only to a server of its own location`,
    );
  assertVolumeRoom(context, server.id, 1);
  const action = startAction(context, {
    command: 'attach_volume',
    resources: [
      { id: volume.id, type: 'volume' },
      { id: server.id, type: 'server' },
    ],
  });
  if (!action.failure) {
    volume.server = server.id;
    if (body.automount !== undefined) volume.automount = body.automount;
  }
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

const detach: Handler = (request, context) => {
  const volume = volumeAt(context, request.params.id);
  if (volume.server === null) throw new ApiError(422, 'service_error', `volume ${volume.id} is not attached`);
  const serverId = volume.server;
  assertUnlocked(context, { type: 'volume', id: volume.id }, { type: 'server', id: serverId });
  const action = startAction(context, {
    command: 'detach_volume',
    resources: [
      { id: volume.id, type: 'volume' },
      { id: serverId, type: 'server' },
    ],
  });
  if (!action.failure) volume.server = null;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

const resize: Handler = (request, context) => {
  const volume = volumeAt(context, request.params.id);
  const body = parseBody(resizeBody, request.body);
  assertUnlocked(context, { type: 'volume', id: volume.id });
  if (!Number.isInteger(body.size) || body.size <= volume.size)
    throw invalidField(
      'size',
      `must be a whole number of GB larger than the current ${volume.size} GB; volumes never shrink`,
    );
  const action = startAction(context, { command: 'resize_volume', resources: [{ id: volume.id, type: 'volume' }] });
  if (!action.failure) volume.size = body.size;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

const changeProtection: Handler = (request, context) => {
  const volume = volumeAt(context, request.params.id);
  const body = parseBody(protectionBody, request.body);
  assertUnlocked(context, { type: 'volume', id: volume.id });
  const action = startAction(context, { command: 'change_protection', resources: [{ id: volume.id, type: 'volume' }] });
  if (!action.failure && body.delete !== undefined) volume.protection.delete = body.delete;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

export function volumeRoutes(router: Router<Handler>): void {
  router
    .get('/volumes', list)
    .post('/volumes', create)
    .get('/volumes/{id}', get)
    .put('/volumes/{id}', update)
    .delete('/volumes/{id}', remove)
    .post('/volumes/{id}/actions/attach', attach)
    .post('/volumes/{id}/actions/detach', detach)
    .post('/volumes/{id}/actions/resize', resize)
    .post('/volumes/{id}/actions/change_protection', changeProtection);
}
