// Networks and their subnets: synchronous create/update/delete; subnet and protection changes are
// actions. Also where a server's private address in a network is chosen.
import { z } from 'zod';
import { NETWORK_ZONES, PRIVATE_IPV4_RANGES } from '@personal-cloud/cluster';
import { ApiError, invalidField } from '../http/api-error';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { listResponse } from '../listing/list-resources';
import {
  containsIp,
  containsCidr,
  firstFreeHost,
  firstFreeSubnet,
  formatCidr,
  networkGateway,
  overlaps,
  parseCidr,
  parseIpv4,
  type Cidr,
} from '../world/addresses';
import { formatTime, renderAction } from '../world/actions';
import { assertUnlocked, startAction, type WorldContext } from '../world/context';
import { removeResource } from '../world/removal';
import type { NetworkRecord, SubnetRecord } from '../world/world';
import { nextId } from '../world/world';
import { assertUniqueName, copyLabels, labelsField, plainName, protectedAgainst, recordAt } from './fields';

const subnetBody = z.object({
  type: z.enum(['cloud', 'server', 'vswitch']),
  ip_range: z.string().optional(),
  network_zone: z.string(),
  vswitch_id: z.number().int().positive().optional(),
});
const routeBody = z.object({ destination: z.string(), gateway: z.string() });
const createBody = z.object({
  name: plainName,
  ip_range: z.string(),
  labels: labelsField.optional(),
  subnets: z.array(subnetBody).optional(),
  routes: z.array(routeBody).optional(),
  expose_routes_to_vswitch: z.boolean().optional(),
});
const updateBody = z.object({
  name: plainName.optional(),
  labels: labelsField.optional(),
  expose_routes_to_vswitch: z.boolean().optional(),
});
const deleteSubnetBody = z.object({ ip_range: z.string() });
const protectionBody = z.object({ delete: z.boolean().optional() });
const ipRangeBody = z.object({ ip_range: z.string() });

export function renderNetwork(context: WorldContext, network: NetworkRecord) {
  return {
    id: network.id,
    name: network.name,
    ip_range: network.ip_range,
    subnets: network.subnets.map((s) => ({
      type: s.type,
      ip_range: s.ip_range,
      network_zone: s.network_zone,
      gateway: s.gateway,
      ...(s.type === 'vswitch' ? { vswitch_id: s.vswitch_id } : {}),
    })),
    routes: network.routes.map((r) => ({ ...r })),
    servers: context.relations().serversIn(network.id),
    load_balancers: [],
    protection: { ...network.protection },
    labels: { ...network.labels },
    created: formatTime(network.created),
    expose_routes_to_vswitch: network.expose_routes_to_vswitch,
  };
}

function networkRange(text: string): Cidr {
  const range = parseCidr(text);
  if (!range || !PRIVATE_IPV4_RANGES.some((p) => containsCidr(p, range)) || range.prefix > 24)
    throw invalidField(
      'ip_range',
      `"${text}" must be a private IPv4 network (RFC 1918) of at least /24, e.g. 10.0.0.0/16`,
    );
  return range;
}

/** A new subnet of `network`, checked against its range and the subnets it already has. */
function planSubnet(network: NetworkRecord, body: z.infer<typeof subnetBody>, field: string): SubnetRecord {
  const range = parseCidr(network.ip_range)!;
  if (!(NETWORK_ZONES as readonly string[]).includes(body.network_zone))
    throw invalidField(
      `${field}.network_zone`,
      `"${body.network_zone}" is not a network zone; use one of ${NETWORK_ZONES.join(', ')}`,
    );
  if (body.type === 'vswitch' && body.vswitch_id === undefined)
    throw invalidField(`${field}.vswitch_id`, 'is required for a vswitch subnet');
  const used = network.subnets.map((s) => parseCidr(s.ip_range)!);
  let subnet: Cidr | undefined;
  if (body.ip_range === undefined) {
    subnet = firstFreeSubnet(range, used);
    if (!subnet) throw invalidField(`${field}.ip_range`, `no free /24 is left in ${network.ip_range}`);
  } else {
    subnet = parseCidr(body.ip_range);
    if (!subnet) throw invalidField(`${field}.ip_range`, `"${body.ip_range}" is not an IPv4 network in CIDR notation`);
    if (!containsCidr(range, subnet))
      throw invalidField(`${field}.ip_range`, `${body.ip_range} is not inside the network's range ${network.ip_range}`);
    if (subnet.prefix > 30) throw invalidField(`${field}.ip_range`, 'a subnet needs at least four addresses (/30)');
    if (used.some((u) => overlaps(u, subnet!)))
      throw invalidField(`${field}.ip_range`, `${body.ip_range} overlaps a subnet of the network`);
  }
  return {
    type: body.type,
    ip_range: formatCidr(subnet),
    network_zone: body.network_zone,
    gateway: networkGateway(network.ip_range),
    vswitch_id: body.type === 'vswitch' ? (body.vswitch_id ?? null) : null,
  };
}

export type PrivateAddress = { ip: string } | { problem: 'no_subnet_available' | 'ip_not_available'; message: string };

/**
 * The address a server in `zone` gets in `network`: the one asked for (inside a server subnet of
 * that zone, not the gateway, not taken) or the first free host of the first such subnet.
 */
export function privateAddress(
  context: WorldContext,
  network: NetworkRecord,
  zone: string,
  requested?: string,
): PrivateAddress {
  const subnets = network.subnets.filter((s) => s.type !== 'vswitch' && s.network_zone === zone);
  if (subnets.length === 0)
    return { problem: 'no_subnet_available', message: `network ${network.id} has no subnet in network zone ${zone}` };
  const taken = context.relations().privateIpsTaken(network.id);
  const gateway = networkGateway(network.ip_range);
  if (requested !== undefined) {
    const value = parseIpv4(requested);
    const subnet = value === undefined ? undefined : subnets.find((s) => containsIp(parseCidr(s.ip_range)!, value));
    const cidr = subnet && parseCidr(subnet.ip_range)!;
    const usable = cidr && value !== cidr.base && value !== cidr.base + 2 ** (32 - cidr.prefix) - 1;
    if (!subnet || !usable || requested === gateway || taken.has(requested))
      return { problem: 'ip_not_available', message: `IP ${requested} is not available in network ${network.id}` };
    return { ip: requested };
  }
  for (const subnet of subnets) {
    const ip = firstFreeHost(parseCidr(subnet.ip_range)!, gateway, taken);
    if (ip) return { ip };
  }
  return {
    problem: 'no_subnet_available',
    message: `no free IP is left in the subnets of network ${network.id} in ${zone}`,
  };
}

const list: Handler = (request, context) =>
  listResponse(request, {
    key: 'networks',
    records: Object.values(context.world.networks),
    render: (n) => renderNetwork(context, n),
    sortFields: ['id', 'name', 'created'],
    byName: (n) => n.name,
    labels: (n) => n.labels,
  });

const create: Handler = (request, context) => {
  const body = parseBody(createBody, request.body);
  const { world } = context;
  const range = networkRange(body.ip_range);
  assertUniqueName(world.networks, body.name, 'Network');
  const network: NetworkRecord = {
    id: 0,
    name: body.name,
    created: context.now,
    labels: copyLabels(body.labels),
    ip_range: formatCidr(range),
    subnets: [],
    routes: [],
    protection: { delete: false },
    expose_routes_to_vswitch: body.expose_routes_to_vswitch ?? false,
  };
  for (const [i, s] of (body.subnets ?? []).entries()) network.subnets.push(planSubnet(network, s, `subnets.${i}`));
  (body.routes ?? []).forEach((r, i) => {
    const destination = parseCidr(r.destination);
    const gateway = parseIpv4(r.gateway);
    if (!destination)
      throw invalidField(`routes.${i}.destination`, `"${r.destination}" is not an IPv4 network in CIDR notation`);
    if (gateway === undefined || !containsIp(range, gateway))
      throw invalidField(`routes.${i}.gateway`, `"${r.gateway}" must be an address inside ${network.ip_range}`);
    network.routes.push({ destination: formatCidr(destination), gateway: r.gateway });
  });
  network.id = nextId(world, 'networks');
  world.networks[network.id] = network;
  context.changed();
  return { status: 201, body: { network: renderNetwork(context, network) } };
};

const networkAt = (context: WorldContext, raw: string | undefined) => recordAt(context.world.networks, raw, 'Network');

const get: Handler = (request, context) => ({
  status: 200,
  body: { network: renderNetwork(context, networkAt(context, request.params.id)) },
});

const update: Handler = (request, context) => {
  const network = networkAt(context, request.params.id);
  const body = parseBody(updateBody, request.body);
  if (body.name !== undefined) {
    assertUniqueName(context.world.networks, body.name, 'Network', network.id);
    network.name = body.name;
  }
  if (body.labels !== undefined) network.labels = copyLabels(body.labels);
  if (body.expose_routes_to_vswitch !== undefined) network.expose_routes_to_vswitch = body.expose_routes_to_vswitch;
  context.changed();
  return { status: 200, body: { network: renderNetwork(context, network) } };
};

const remove: Handler = (request, context) => {
  const network = networkAt(context, request.params.id);
  if (network.protection.delete) throw protectedAgainst(`Network ${network.id}`, 'deletion');
  assertUnlocked(context, { type: 'network', id: network.id });
  // Attached servers are detached automatically, as Hetzner does.
  removeResource(context.world, 'network', network.id);
  context.changed();
  return { status: 204 };
};

const addSubnet: Handler = (request, context) => {
  const network = networkAt(context, request.params.id);
  const body = parseBody(subnetBody, request.body);
  assertUnlocked(context, { type: 'network', id: network.id });
  const subnet = planSubnet(network, body, 'ip_range');
  const action = startAction(context, { command: 'add_subnet', resources: [{ id: network.id, type: 'network' }] });
  if (!action.failure) network.subnets.push(subnet);
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

const deleteSubnet: Handler = (request, context) => {
  const network = networkAt(context, request.params.id);
  const body = parseBody(deleteSubnetBody, request.body);
  assertUnlocked(context, { type: 'network', id: network.id });
  const subnet = network.subnets.find((s) => s.ip_range === body.ip_range);
  if (!subnet) throw invalidField('ip_range', `network ${network.id} has no subnet ${body.ip_range}`);
  const cidr = parseCidr(subnet.ip_range)!;
  const inUse = context
    .relations()
    .serversIn(network.id)
    .some((id) =>
      context.world.servers[id]?.private_net.some(
        (n) => n.network === network.id && containsIp(cidr, parseIpv4(n.ip)!),
      ),
    );
  if (inUse)
    throw new ApiError(422, 'service_error', `subnet ${body.ip_range} still has attached servers; detach them first`);
  const action = startAction(context, { command: 'delete_subnet', resources: [{ id: network.id, type: 'network' }] });
  if (!action.failure) network.subnets = network.subnets.filter((s) => s !== subnet);
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

/** A network only grows: the new range must contain the old one (and so every subnet in it). */
const changeIpRange: Handler = (request, context) => {
  const network = networkAt(context, request.params.id);
  const body = parseBody(ipRangeBody, request.body);
  const range = parseCidr(body.ip_range);
  if (!range || formatCidr(range) !== body.ip_range)
    throw invalidField('ip_range', `${body.ip_range} is not a network in CIDR notation`);
  if (!PRIVATE_IPV4_RANGES.some((p) => containsCidr(p, range)))
    throw invalidField('ip_range', `${body.ip_range} is not in a private range (RFC 1918)`);
  if (!containsCidr(range, parseCidr(network.ip_range)!))
    throw invalidField(
      'ip_range',
      `${body.ip_range} must contain the current range ${network.ip_range}; a network can only grow`,
    );
  assertUnlocked(context, { type: 'network', id: network.id });
  const action = startAction(context, { command: 'change_ip_range', resources: [{ id: network.id, type: 'network' }] });
  if (!action.failure) network.ip_range = body.ip_range;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

const changeProtection: Handler = (request, context) => {
  const network = networkAt(context, request.params.id);
  const body = parseBody(protectionBody, request.body);
  assertUnlocked(context, { type: 'network', id: network.id });
  const action = startAction(context, {
    command: 'change_protection',
    resources: [{ id: network.id, type: 'network' }],
  });
  if (!action.failure && body.delete !== undefined) network.protection.delete = body.delete;
  return { status: 201, body: { action: renderAction(action, context.now) } };
};

export function networkRoutes(router: Router<Handler>): void {
  router
    .get('/networks', list)
    .post('/networks', create)
    .get('/networks/{id}', get)
    .put('/networks/{id}', update)
    .delete('/networks/{id}', remove)
    .post('/networks/{id}/actions/add_subnet', addSubnet)
    .post('/networks/{id}/actions/delete_subnet', deleteSubnet)
    .post('/networks/{id}/actions/change_ip_range', changeIpRange)
    .post('/networks/{id}/actions/change_protection', changeProtection);
}
