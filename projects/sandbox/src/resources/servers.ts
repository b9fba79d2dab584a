// Servers: create (with its public IPs, networks, volumes, firewalls and placement), read, update,
// delete. The power and attachment actions live in server-actions.ts.
import { LIMITS } from '@personal-cloud/cluster';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  DATACENTERS,
  IMAGES,
  INCLUDED_TRAFFIC,
  LOCATIONS,
  RECOMMENDED_DATACENTER,
  SERVER_TYPES,
  datacenterById,
  datacenterOfLocation,
  findByIdOrName,
  imageById,
  locationById,
  serverTypeById,
} from '../catalogue';
import { ApiError, invalidField, resourceLimitExceeded } from '../http/api-error';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { enumParam, listResponse } from '../listing/list-resources';
import { formatTime, renderAction, runningOn } from '../world/actions';
import { macAddress } from '../world/addresses';
import { releaseServer } from '../world/removal';
import { assertUnlocked, followingFailure, isLocked, startAction, type WorldContext } from '../world/context';
import type { PrimaryIpRecord, ServerRecord } from '../world/world';
import { nextId } from '../world/world';
import { renderDatacenter } from './datacenters';
import {
  assertUniqueName,
  copyLabels,
  hostName,
  idField,
  labelsField,
  protectedAgainst,
  recordAt,
  referenced,
} from './fields';
import { FIREWALLS_PER_SERVER, serverFirewalls } from './firewalls';
import { renderImage } from './images';
import { renderLocation } from './locations';
import { privateAddress } from './networks';
import { isGroupFull, renderPlacementGroup } from './placement-groups';
import { freePublicAddress, newPrimaryIp, reverseDns } from './primary-ips';
import { assertSoldIn, renderServerType } from './server-types';
import { VOLUMES_PER_SERVER } from './volumes';

export const SERVERS_PER_NETWORK = LIMITS.serversPerNetwork;

export const SERVER_STATUSES = [
  'running',
  'initializing',
  'starting',
  'stopping',
  'off',
  'deleting',
  'migrating',
  'rebuilding',
  'unknown',
] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];

/** What a server shows while an action of this command runs on it, most telling first. */
const TRANSITIONAL: [string, ServerStatus][] = [
  ['delete_server', 'deleting'],
  ['create_server', 'initializing'],
  ['rebuild_server', 'rebuilding'],
  ['change_server_type', 'migrating'],
  ['start_server', 'starting'],
  ['stop_server', 'stopping'],
  ['shutdown_server', 'stopping'],
];

export function serverStatus(context: WorldContext, server: ServerRecord): ServerStatus {
  const running = runningOn(context.running(), 'server', server.id);
  for (const [command, status] of TRANSITIONAL) if (running.some((a) => a.command === command)) return status;
  return server.status;
}

export function serverLocationId(server: ServerRecord): number {
  return datacenterById(server.datacenter)!.location;
}

export function serverZone(server: ServerRecord): string {
  return locationById(serverLocationId(server))!.network_zone;
}

function renderIpv4(ip: PrimaryIpRecord | undefined) {
  return ip ? { id: ip.id, ip: ip.ip, blocked: false, dns_ptr: reverseDns(ip.ip) } : null;
}

function renderIpv6(ip: PrimaryIpRecord | undefined) {
  return ip ? { id: ip.id, ip: ip.ip, blocked: false, dns_ptr: ip.dns_ptr.map((p) => ({ ...p })) } : null;
}

export function renderServer(context: WorldContext, server: ServerRecord) {
  const relations = context.relations();
  const ips = relations.primaryIpsOf(server.id);
  const datacenter = datacenterById(server.datacenter)!;
  const image = server.image === null ? undefined : imageById(server.image);
  const group = server.placement_group === null ? undefined : context.world.placement_groups[server.placement_group];
  return {
    id: server.id,
    name: server.name,
    status: serverStatus(context, server),
    created: formatTime(server.created),
    public_net: {
      ipv4: renderIpv4(ips.ipv4),
      ipv6: renderIpv6(ips.ipv6),
      floating_ips: [],
      firewalls: serverFirewalls(context, server.id),
    },
    private_net: server.private_net.map((n) => ({
      network: n.network,
      ip: n.ip,
      alias_ips: [...n.alias_ips],
      mac_address: n.mac_address,
    })),
    server_type: renderServerType(serverTypeById(server.server_type)!),
    datacenter: renderDatacenter(datacenter),
    location: renderLocation(locationById(datacenter.location)!),
    image: image ? renderImage(image) : null,
    iso: null,
    rescue_enabled: server.rescue_enabled,
    locked: isLocked(context, 'server', server.id),
    backup_window: server.backup_window,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: INCLUDED_TRAFFIC,
    protection: { ...server.protection },
    labels: { ...server.labels },
    volumes: relations.volumesOf(server.id),
    load_balancers: [],
    primary_disk_size: server.primary_disk_size,
    placement_group: group ? renderPlacementGroup(context, group) : null,
  };
}

/** A root password, returned once, for servers created without SSH keys. */
export function rootPassword(): string {
  return randomBytes(15).toString('base64').replace(/[+/=]/g, 'x');
}

const place = z.union([z.string(), z.number().int()]);
const createBody = z.object({
  name: hostName,
  location: place.optional(),
  datacenter: place.optional(),
  server_type: place,
  start_after_create: z.boolean().optional(),
  image: place,
  placement_group: idField.optional(),
  ssh_keys: z.array(place).optional(),
  volumes: z.array(idField).optional(),
  networks: z.array(idField).optional(),
  firewalls: z.array(z.object({ firewall: idField })).optional(),
  user_data: z
    .string()
    .max(32 * 1024, 'is longer than 32 KiB')
    .optional(),
  labels: labelsField.optional(),
  automount: z.boolean().optional(),
  public_net: z
    .object({
      enable_ipv4: z.boolean().optional(),
      enable_ipv6: z.boolean().optional(),
      ipv4: idField.nullable().optional(),
      ipv6: idField.nullable().optional(),
    })
    .optional(),
});
const updateBody = z.object({ name: hostName.optional(), labels: labelsField.optional() });

function chooseDatacenter(body: z.infer<typeof createBody>): number {
  if (body.datacenter !== undefined) {
    const datacenter = findByIdOrName(DATACENTERS, body.datacenter);
    if (!datacenter) throw invalidField('datacenter', `datacenter "${body.datacenter}" not found`);
    if (body.location !== undefined && findByIdOrName(LOCATIONS, body.location)?.id !== datacenter.location)
      throw invalidField('location', `datacenter ${datacenter.name} is not in location "${body.location}"`);
    return datacenter.id;
  }
  if (body.location !== undefined) {
    const location = findByIdOrName(LOCATIONS, body.location);
    if (!location) throw invalidField('location', `location "${body.location}" not found`);
    return datacenterOfLocation(location.id).id;
  }
  return RECOMMENDED_DATACENTER;
}

/** A primary IP the create request names: it must exist, be of the right type, free, and in the server's location. */
function givenPrimaryIp(context: WorldContext, id: number, type: 'ipv4' | 'ipv6', locationId: number): PrimaryIpRecord {
  const ip = referenced(context.world.primary_ips, id, `public_net.${type}`, 'Primary IP');
  if (ip.type !== type)
    throw new ApiError(412, 'primary_ip_version_mismatch', `primary IP ${id} is an ${ip.type} address, not ${type}`);
  if (ip.assignee_id !== null)
    throw new ApiError(422, 'primary_ip_assigned', `primary IP ${id} is already assigned to server ${ip.assignee_id}`);
  if (datacenterById(ip.datacenter)!.location !== locationId)
    throw new ApiError(
      422,
      'primary_ip_datacenter_mismatch',
      `primary IP ${id} is in another location than the server`,
    );
  assertUnlocked(context, { type: 'primary_ip', id });
  return ip;
}

const list: Handler = (request, context) => {
  const statuses = enumParam(request.query, 'status', SERVER_STATUSES);
  return listResponse(request, {
    key: 'servers',
    records: Object.values(context.world.servers),
    render: (s) => renderServer(context, s),
    sortFields: ['id', 'name', 'created'],
    byName: (s) => s.name,
    labels: (s) => s.labels,
    filters: statuses ? [(s) => statuses.has(serverStatus(context, s))] : [],
  });
};

const create: Handler = (request, context) => {
  const body = parseBody(createBody, request.body);
  const { world } = context;
  const type = findByIdOrName(SERVER_TYPES, body.server_type);
  if (!type) throw invalidField('server_type', `server type "${body.server_type}" not found`);
  const image = findByIdOrName(IMAGES, body.image);
  if (!image) throw invalidField('image', `image "${body.image}" not found`);
  if (image.architecture !== type.architecture)
    throw invalidField(
      'image',
      `image ${image.name} is for ${image.architecture}, server type ${type.name} is ${type.architecture}`,
    );
  const datacenterId = chooseDatacenter(body);
  const locationId = datacenterById(datacenterId)!.location;
  const zone = locationById(locationId)!.network_zone;
  assertSoldIn(type, locationId);
  assertUniqueName(world.servers, body.name, 'Server');

  (body.ssh_keys ?? []).forEach((key) => {
    if (!findByIdOrName(Object.values(world.ssh_keys), key))
      throw invalidField('ssh_keys', `SSH key "${key}" not found`);
  });
  const volumes = [...new Set(body.volumes ?? [])].map((id) => {
    const volume = referenced(world.volumes, id, 'volumes', 'Volume');
    assertUnlocked(context, { type: 'volume', id });
    if (volume.server !== null)
      throw invalidField('volumes', `volume ${id} is already attached to server ${volume.server}`);
    if (volume.location !== locationId)
      throw invalidField('volumes', `volume ${id} is in another location than the server`);
    return volume;
  });
  if (volumes.length > VOLUMES_PER_SERVER)
    throw resourceLimitExceeded(
      'volumes_per_server',
      `a server can have at most ${VOLUMES_PER_SERVER} volumes, not ${volumes.length}`,
    );
  if (Object.keys(world.servers).length >= context.serverLimit)
    throw resourceLimitExceeded(
      'project_limit',
      `server limit exceeded: this project may have ${context.serverLimit} servers`,
    );
  const relations = context.relations();
  const networks = [...new Set(body.networks ?? [])].map((id) => {
    const network = referenced(world.networks, id, 'networks', 'Network');
    if (relations.serversIn(id).length >= SERVERS_PER_NETWORK)
      throw resourceLimitExceeded(
        'servers_per_network',
        `network ${id} already has ${SERVERS_PER_NETWORK} servers, the most a network can have`,
      );
    const address = privateAddress(context, network, zone);
    if ('problem' in address) throw invalidField('networks', address.message);
    return { network, ip: address.ip };
  });
  const firewalls = [...new Set((body.firewalls ?? []).map((f) => f.firewall))].map((id) =>
    referenced(world.firewalls, id, 'firewalls', 'Firewall'),
  );
  if (firewalls.length > FIREWALLS_PER_SERVER)
    throw resourceLimitExceeded('firewalls_per_server', `a server can have at most ${FIREWALLS_PER_SERVER} firewalls`);
  if (body.placement_group !== undefined) {
    referenced(world.placement_groups, body.placement_group, 'placement_group', 'Placement group');
    if (isGroupFull(context, body.placement_group))
      throw new ApiError(
        422,
        'placement_error',
        `placement group ${body.placement_group} already holds the most servers a spread group can (10)`,
      );
  }
  const publicNet = body.public_net ?? {};
  const ipv4 = publicNet.ipv4 != null ? givenPrimaryIp(context, publicNet.ipv4, 'ipv4', locationId) : undefined;
  const ipv6 = publicNet.ipv6 != null ? givenPrimaryIp(context, publicNet.ipv6, 'ipv6', locationId) : undefined;
  const wantIpv4 = ipv4 !== undefined || publicNet.enable_ipv4 !== false;
  const wantIpv6 = ipv6 !== undefined || publicNet.enable_ipv6 !== false;
  if (!wantIpv4 && !wantIpv6 && networks.length === 0)
    throw invalidField('public_net', 'a server without public addresses needs at least one network');
  // Addresses are found before anything changes, so running out of them changes nothing.
  const newIpv4 = wantIpv4 && !ipv4 ? freePublicAddress(context, 'ipv4') : undefined;
  const newIpv6 = wantIpv6 && !ipv6 ? freePublicAddress(context, 'ipv6') : undefined;

  const id = nextId(world, 'servers');
  const start = body.start_after_create !== false;
  const server: ServerRecord = {
    id,
    name: body.name,
    created: context.now,
    labels: copyLabels(body.labels),
    status: 'off',
    server_type: type.id,
    datacenter: datacenterId,
    image: image.id,
    protection: { delete: false, rebuild: false },
    private_net: networks.map(({ network, ip }) => ({
      network: network.id,
      ip,
      alias_ips: [],
      mac_address: macAddress(id, network.id),
    })),
    placement_group: body.placement_group ?? null,
    primary_disk_size: type.disk,
    rescue_enabled: false,
    backup_window: null,
  };
  world.servers[id] = server;
  context.changed();
  if (ipv4) ipv4.assignee_id = id;
  if (newIpv4)
    newPrimaryIp(context, { type: 'ipv4', ip: newIpv4, datacenter: datacenterId, assignee: id, autoDelete: true });
  if (ipv6) ipv6.assignee_id = id;
  if (newIpv6)
    newPrimaryIp(context, { type: 'ipv6', ip: newIpv6, datacenter: datacenterId, assignee: id, autoDelete: true });
  for (const volume of volumes) {
    volume.server = id;
    if (body.automount !== undefined) volume.automount = body.automount;
  }
  for (const firewall of firewalls) firewall.applied_to.push({ type: 'server', server: { id } });

  // A failed create takes the server, and everything it brought along, away again.
  const action = startAction(context, {
    command: 'create_server',
    resources: [{ id, type: 'server' }],
    onFailure: { remove: { type: 'server', id } },
  });
  const next = [];
  if (start) {
    const started = startAction(context, {
      command: 'start_server',
      resources: [{ id, type: 'server' }],
      failure: action.failure ? followingFailure(action) : context.planFailure(),
      lengths: 2,
    });
    if (!started.failure) server.status = 'running';
    next.push(started);
  }
  return {
    status: 201,
    body: {
      server: renderServer(context, server),
      action: renderAction(action, context.now),
      next_actions: next.map((a) => renderAction(a, context.now)),
      root_password: (body.ssh_keys ?? []).length === 0 ? rootPassword() : null,
    },
  };
};

export const serverAt = (context: WorldContext, raw: string | undefined) =>
  recordAt(context.world.servers, raw, 'Server');

const get: Handler = (request, context) => ({
  status: 200,
  body: { server: renderServer(context, serverAt(context, request.params.id)) },
});

const update: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  const body = parseBody(updateBody, request.body);
  if (body.name !== undefined) {
    assertUniqueName(context.world.servers, body.name, 'Server', server.id);
    server.name = body.name;
  }
  if (body.labels !== undefined) server.labels = copyLabels(body.labels);
  context.changed();
  return { status: 200, body: { server: renderServer(context, server) } };
};

const remove: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  if (server.protection.delete) throw protectedAgainst(`Server ${server.id}`, 'deletion');
  assertUnlocked(context, { type: 'server', id: server.id });
  // The server shows `deleting` until the action ends, then it is gone (unless the action fails).
  // What it held is let go at once, so every handler sees the same server-less truth meanwhile.
  const action = startAction(context, {
    command: 'delete_server',
    resources: [{ id: server.id, type: 'server' }],
    onSuccess: { remove: { type: 'server', id: server.id } },
  });
  if (!action.failure) {
    releaseServer(context.world, server.id);
    context.changed();
  }
  return { status: 200, body: { action: renderAction(action, context.now) } };
};

export function serverRoutes(router: Router<Handler>): void {
  router
    .get('/servers', list)
    .post('/servers', create)
    .get('/servers/{id}', get)
    .put('/servers/{id}', update)
    .delete('/servers/{id}', remove);
}
