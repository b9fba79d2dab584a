// Primary IPs: the public addresses of servers. A server create makes its own (auto_delete) ones;
// assigning and unassigning need the server powered off, as at Hetzner.
import { requireOff } from './server-actions';
import { z } from 'zod';
import {
  DATACENTERS,
  LOCATIONS,
  datacenterById,
  datacenterOfLocation,
  findByIdOrName,
  locationById,
} from '../catalogue';
import { ApiError, invalidField } from '../http/api-error';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { listResponse } from '../listing/list-resources';
import { allocateIpv6Network, allocatePublicIpv4 } from '../world/addresses';
import { formatTime, renderAction } from '../world/actions';
import { assertUnlocked, startAction, type WorldContext } from '../world/context';
import { removeResource } from '../world/removal';
import type { Labels, PrimaryIpRecord } from '../world/world';
import { nextId } from '../world/world';
import { renderDatacenter } from './datacenters';
import {
  assertUniqueName,
  copyLabels,
  idField,
  labelsField,
  plainName,
  protectedAgainst,
  recordAt,
  referenced,
} from './fields';
import { renderLocation } from './locations';

const place = z.union([z.string(), z.number().int()]);
const createBody = z.object({
  name: plainName,
  labels: labelsField.optional(),
  type: z.enum(['ipv4', 'ipv6']),
  datacenter: place.optional(),
  location: place.optional(),
  assignee_type: z.enum(['server']),
  assignee_id: idField.nullable().optional(),
  auto_delete: z.boolean().optional(),
});
const updateBody = z.object({
  name: plainName.optional(),
  labels: labelsField.optional(),
  auto_delete: z.boolean().optional(),
});
const assignBody = z.object({ assignee_type: z.enum(['server']), assignee_id: idField });
const protectionBody = z.object({ delete: z.boolean() });

export function reverseDns(ip: string): string {
  return `static.${ip}.clients.your-server.de`;
}

export function renderPrimaryIp(ip: PrimaryIpRecord) {
  const datacenter = datacenterById(ip.datacenter)!;
  return {
    id: ip.id,
    name: ip.name,
    labels: { ...ip.labels },
    created: formatTime(ip.created),
    blocked: false,
    datacenter: renderDatacenter(datacenter),
    location: renderLocation(locationById(datacenter.location)!),
    ip: ip.ip,
    dns_ptr: ip.dns_ptr.map((p) => ({ ...p })),
    protection: { ...ip.protection },
    type: ip.type,
    auto_delete: ip.auto_delete,
    assignee_type: 'server' as const,
    assignee_id: ip.assignee_id,
  };
}

/** A free public address of `type`; 412 `resource_unavailable` when the pools are used up. */
export function freePublicAddress(context: WorldContext, type: 'ipv4' | 'ipv6'): string {
  const taken = context.relations().publicIpsTaken(type);
  const ip = type === 'ipv4' ? allocatePublicIpv4(taken) : allocateIpv6Network(taken);
  if (!ip)
    throw new ApiError(412, 'resource_unavailable', `no public ${type} address is left in the sandbox's address pools`);
  return ip;
}

/** A new primary IP record at `ip` (from freePublicAddress, found before anything was changed). */
export function newPrimaryIp(
  context: WorldContext,
  spec: {
    type: 'ipv4' | 'ipv6';
    ip: string;
    datacenter: number;
    name?: string;
    labels?: Labels;
    assignee: number | null;
    autoDelete: boolean;
  },
): PrimaryIpRecord {
  const { world } = context;
  const ip = spec.ip;
  const id = nextId(world, 'primary_ips');
  const record: PrimaryIpRecord = {
    id,
    name: spec.name ?? `primary_ip-${id}`,
    created: context.now,
    labels: copyLabels(spec.labels),
    type: spec.type,
    ip,
    datacenter: spec.datacenter,
    assignee_id: spec.assignee,
    auto_delete: spec.autoDelete,
    protection: { delete: false },
    dns_ptr: spec.type === 'ipv4' ? [{ ip, dns_ptr: reverseDns(ip) }] : [],
  };
  world.primary_ips[id] = record;
  context.changed();
  return record;
}

const list: Handler = (request, context) => {
  const ip = request.query.get('ip');
  return listResponse(request, {
    key: 'primary_ips',
    records: Object.values(context.world.primary_ips),
    render: renderPrimaryIp,
    sortFields: ['id', 'created'],
    byName: (p) => p.name,
    labels: (p) => p.labels,
    filters: ip === null ? [] : [(p) => p.ip === ip],
  });
};

const create: Handler = (request, context) => {
  const body = parseBody(createBody, request.body);
  const { world } = context;
  let datacenter: number | undefined;
  if (body.assignee_id != null) {
    const server = referenced(world.servers, body.assignee_id, 'assignee_id', 'Server');
    assertUnlocked(context, { type: 'server', id: server.id });
    requireOff(server);
    if (context.relations().primaryIpsOf(server.id)[body.type])
      throw invalidField('assignee_id', `server ${server.id} already has a primary ${body.type}`);
    datacenter = server.datacenter;
  } else if (body.location !== undefined) {
    const location = findByIdOrName(LOCATIONS, body.location);
    if (!location) throw invalidField('location', `location "${body.location}" not found`);
    datacenter = datacenterOfLocation(location.id).id;
  } else if (body.datacenter !== undefined) {
    const found = findByIdOrName(DATACENTERS, body.datacenter);
    if (!found) throw invalidField('datacenter', `datacenter "${body.datacenter}" not found`);
    datacenter = found.id;
  } else throw invalidField('location', 'is required when the primary IP is not assigned to a server');
  assertUniqueName(world.primary_ips, body.name, 'Primary IP');
  const ip = newPrimaryIp(context, {
    type: body.type,
    ip: freePublicAddress(context, body.type),
    datacenter,
    name: body.name,
    ...(body.labels ? { labels: body.labels } : {}),
    assignee: body.assignee_id ?? null,
    autoDelete: body.auto_delete ?? false,
  });
  // An unassigned primary IP exists at once; one created for a server comes with an action, and a
  // failed one disappears again.
  if (ip.assignee_id === null) return { status: 201, body: { primary_ip: renderPrimaryIp(ip) } };
  const action = startAction(context, {
    command: 'create_primary_ip',
    resources: [
      { id: ip.id, type: 'primary_ip' },
      { id: ip.assignee_id, type: 'server' },
    ],
    onFailure: { remove: { type: 'primary_ip', id: ip.id } },
  });
  return { status: 201, body: { primary_ip: renderPrimaryIp(ip), action: renderAction(action, context.now) } };
};

const ipAt = (context: WorldContext, raw: string | undefined) => recordAt(context.world.primary_ips, raw, 'Primary IP');

const get: Handler = (request, context) => ({
  status: 200,
  body: { primary_ip: renderPrimaryIp(ipAt(context, request.params.id)) },
});

const update: Handler = (request, context) => {
  const ip = ipAt(context, request.params.id);
  const body = parseBody(updateBody, request.body);
  if (body.name !== undefined) {
    assertUniqueName(context.world.primary_ips, body.name, 'Primary IP', ip.id);
    ip.name = body.name;
  }
  if (body.labels !== undefined) ip.labels = copyLabels(body.labels);
  if (body.auto_delete !== undefined) ip.auto_delete = body.auto_delete;
  context.changed();
  return { status: 200, body: { primary_ip: renderPrimaryIp(ip) } };
};

const remove: Handler = (request, context) => {
  const ip = ipAt(context, request.params.id);
  if (ip.protection.delete) throw protectedAgainst(`Primary IP ${ip.id}`, 'deletion');
  assertUnlocked(context, { type: 'primary_ip', id: ip.id });
  if (ip.assignee_id !== null)
    throw new ApiError(
      422,
      'must_be_unassigned',
      `primary IP ${ip.id} is assigned to server ${ip.assignee_id}; unassign it first`,
    );
  removeResource(context.world, 'primary_ip', ip.id);
  context.changed();
  return { status: 204 };
};

const assign: Handler = (request, context) => {
  const ip = ipAt(context, request.params.id);
  const body = parseBody(assignBody, request.body);
  const server = referenced(context.world.servers, body.assignee_id, 'assignee_id', 'Server');
  assertUnlocked(context, { type: 'primary_ip', id: ip.id }, { type: 'server', id: server.id });
  if (ip.assignee_id !== null && ip.assignee_id !== server.id)
    throw new ApiError(
      422,
      'primary_ip_already_assigned',
      `primary IP ${ip.id} is already assigned to server ${ip.assignee_id}`,
    );
  requireOff(server);
  const current = context.relations().primaryIpsOf(server.id)[ip.type];
  if (current && current.id !== ip.id)
    throw invalidField('assignee_id', `server ${server.id} already has a primary ${ip.type}`);
  if (datacenterById(server.datacenter)!.location !== datacenterById(ip.datacenter)!.location)
    throw invalidField('assignee_id', `server ${server.id} is in another location than primary IP ${ip.id}`);
  const action = startAction(context, {
    command: 'assign_primary_ip',
    resources: [
      { id: ip.id, type: 'primary_ip' },
      { id: server.id, type: 'server' },
    ],
  });
  if (!action.failure) ip.assignee_id = server.id;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

const unassign: Handler = (request, context) => {
  const ip = ipAt(context, request.params.id);
  if (ip.assignee_id === null) throw new ApiError(422, 'service_error', `primary IP ${ip.id} is not assigned`);
  const serverId = ip.assignee_id;
  assertUnlocked(context, { type: 'primary_ip', id: ip.id }, { type: 'server', id: serverId });
  const server = context.world.servers[serverId];
  if (server) requireOff(server);
  const action = startAction(context, {
    command: 'unassign_primary_ip',
    resources: [
      { id: ip.id, type: 'primary_ip' },
      { id: serverId, type: 'server' },
    ],
  });
  if (!action.failure) ip.assignee_id = null;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

const changeProtection: Handler = (request, context) => {
  const ip = ipAt(context, request.params.id);
  const body = parseBody(protectionBody, request.body);
  assertUnlocked(context, { type: 'primary_ip', id: ip.id });
  if (body.delete && ip.auto_delete)
    throw invalidField('delete', 'delete protection needs auto_delete to be false first');
  const action = startAction(context, { command: 'change_protection', resources: [{ id: ip.id, type: 'primary_ip' }] });
  if (!action.failure) ip.protection.delete = body.delete;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

export function primaryIpRoutes(router: Router<Handler>): void {
  router
    .get('/primary_ips', list)
    .post('/primary_ips', create)
    .get('/primary_ips/{id}', get)
    .put('/primary_ips/{id}', update)
    .delete('/primary_ips/{id}', remove)
    .post('/primary_ips/{id}/actions/assign', assign)
    .post('/primary_ips/{id}/actions/unassign', unassign)
    .post('/primary_ips/{id}/actions/change_protection', changeProtection);
}
