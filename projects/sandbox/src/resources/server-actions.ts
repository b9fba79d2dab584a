// The actions on a server: power, rebuild, protection, networks, placement and type. Each one is
// refused while another action holds the server (423 locked); its change is made only when the
// action is going to succeed, and the server shows a transitional status while it runs.
import { z } from 'zod';
import { IMAGES, SERVER_TYPES, datacenterById, findByIdOrName } from '../catalogue';
import { ApiError, invalidField, resourceLimitExceeded } from '../http/api-error';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { renderAction } from '../world/actions';
import { macAddress, parseIpv4 } from '../world/addresses';
import { assertUnlocked, startAction, type WorldContext } from '../world/context';
import type { ActionRecord, ServerRecord } from '../world/world';
import { idField, protectedAgainst, referenced } from './fields';
import { privateAddress } from './networks';
import { SPREAD_GROUP_LIMIT, isGroupFull } from './placement-groups';
import { assertSoldIn } from './server-types';
import { SERVERS_PER_NETWORK, rootPassword, serverAt, serverZone } from './servers';

const rebuildBody = z.object({ image: z.union([z.string(), z.number().int()]), user_data: z.string().optional() });
const protectionBody = z.object({ delete: z.boolean().optional(), rebuild: z.boolean().optional() });
const attachBody = z.object({
  network: idField,
  ip: z.string().optional(),
  alias_ips: z.array(z.string()).optional(),
  ip_range: z.string().optional(),
});
const detachBody = z.object({ network: idField });
const placementBody = z.object({ placement_group: idField });
const changeTypeBody = z.object({ upgrade_disk: z.boolean(), server_type: z.union([z.string(), z.number().int()]) });

const serverRef = (server: ServerRecord) => ({ id: server.id, type: 'server' });

/** Hetzner changes a server's type, addresses and placement only while it is off. */
export function requireOff(server: ServerRecord): void {
  if (server.status !== 'off')
    throw new ApiError(422, 'server_not_stopped', `server ${server.id} is running; power it off first`);
}

/** A server action with no body: lock check, action, and the change if it will succeed. */
function simple(command: string, apply: (server: ServerRecord) => void): Handler {
  return (request, context) => {
    const server = serverAt(context, request.params.id);
    assertUnlocked(context, serverRef(server));
    const action = startAction(context, { command, resources: [serverRef(server)] });
    if (!action.failure) apply(server);
    return { status: 201, body: { action: renderAction(action, context.now) } };
  };
}

const answer = (context: WorldContext, action: ActionRecord) => ({
  status: 201,
  body: { action: renderAction(action, context.now) },
});

const rebuild: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  const body = parseBody(rebuildBody, request.body);
  if (server.protection.rebuild) throw protectedAgainst(`Server ${server.id}`, 'rebuild');
  assertUnlocked(context, serverRef(server));
  const image = findByIdOrName(IMAGES, body.image);
  if (!image) throw invalidField('image', `image "${body.image}" not found`);
  const action = startAction(context, { command: 'rebuild_server', resources: [serverRef(server)] });
  if (!action.failure) {
    server.image = image.id;
    server.status = 'running';
  }
  return { status: 201, body: { action: renderAction(action, context.now), root_password: rootPassword() } };
};

const changeProtection: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  const body = parseBody(protectionBody, request.body);
  assertUnlocked(context, serverRef(server));
  const action = startAction(context, { command: 'change_protection', resources: [serverRef(server)] });
  if (!action.failure) {
    if (body.delete !== undefined) server.protection.delete = body.delete;
    if (body.rebuild !== undefined) server.protection.rebuild = body.rebuild;
  }
  return answer(context, action);
};

const attachToNetwork: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  const body = parseBody(attachBody, request.body);
  const network = referenced(context.world.networks, body.network, 'network', 'Network');
  assertUnlocked(context, serverRef(server));
  if (server.private_net.some((n) => n.network === network.id))
    throw new ApiError(
      422,
      'server_already_attached',
      `server ${server.id} is already attached to network ${network.id}`,
    );
  if (context.relations().serversIn(network.id).length >= SERVERS_PER_NETWORK)
    throw resourceLimitExceeded(
      'servers_per_network',
      `network ${network.id} already has ${SERVERS_PER_NETWORK} servers, the most a network can have`,
    );
  if (body.ip !== undefined && parseIpv4(body.ip) === undefined)
    throw invalidField('ip', `"${body.ip}" is not an IPv4 address`);
  const address = privateAddress(context, network, serverZone(server), body.ip);
  if ('problem' in address) throw new ApiError(422, address.problem, address.message);
  const aliases = body.alias_ips ?? [];
  for (const alias of aliases) {
    const free = privateAddress(context, network, serverZone(server), alias);
    if ('problem' in free || alias === address.ip)
      throw new ApiError(422, 'ip_not_available', `alias IP ${alias} is not available in network ${network.id}`);
  }
  const action = startAction(context, {
    command: 'attach_to_network',
    resources: [serverRef(server), { id: network.id, type: 'network' }],
  });
  if (!action.failure)
    server.private_net.push({
      network: network.id,
      ip: address.ip,
      alias_ips: aliases,
      mac_address: macAddress(server.id, network.id),
    });
  return answer(context, action);
};

const detachFromNetwork: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  const body = parseBody(detachBody, request.body);
  assertUnlocked(context, serverRef(server));
  if (!server.private_net.some((n) => n.network === body.network))
    throw invalidField('network', `server ${server.id} is not attached to network ${body.network}`);
  const action = startAction(context, {
    command: 'detach_from_network',
    resources: [serverRef(server), { id: body.network, type: 'network' }],
  });
  if (!action.failure) server.private_net = server.private_net.filter((n) => n.network !== body.network);
  return answer(context, action);
};

const addToPlacementGroup: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  const body = parseBody(placementBody, request.body);
  const group = referenced(context.world.placement_groups, body.placement_group, 'placement_group', 'Placement group');
  assertUnlocked(context, serverRef(server));
  if (server.placement_group !== null)
    throw new ApiError(
      422,
      'already_in_placement_group',
      `server ${server.id} is already in placement group ${server.placement_group}`,
    );
  requireOff(server);
  // A full group is found out while placing, so the action fails rather than the request.
  const full = isGroupFull(context, group.id);
  const action = startAction(context, {
    command: 'add_to_placement_group',
    resources: [serverRef(server), { id: group.id, type: 'placement_group' }],
    ...(full
      ? {
          failure: {
            code: 'placement_error',
            message: `placement group ${group.id} already holds ${SPREAD_GROUP_LIMIT} servers, the most a spread group can`,
          },
        }
      : {}),
  });
  if (!action.failure) server.placement_group = group.id;
  return answer(context, action);
};

const removeFromPlacementGroup: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  assertUnlocked(context, serverRef(server));
  if (server.placement_group === null)
    throw new ApiError(422, 'service_error', `server ${server.id} is in no placement group`);
  const action = startAction(context, {
    command: 'remove_from_placement_group',
    resources: [serverRef(server), { id: server.placement_group, type: 'placement_group' }],
  });
  if (!action.failure) server.placement_group = null;
  return answer(context, action);
};

const changeType: Handler = (request, context) => {
  const server = serverAt(context, request.params.id);
  const body = parseBody(changeTypeBody, request.body);
  assertUnlocked(context, serverRef(server));
  const type = findByIdOrName(SERVER_TYPES, body.server_type);
  if (!type) throw invalidField('server_type', `server type "${body.server_type}" not found`);
  requireOff(server);
  assertSoldIn(type, datacenterById(server.datacenter)!.location);
  if (type.disk < server.primary_disk_size)
    throw new ApiError(
      422,
      'invalid_server_type',
      `server type ${type.name} has a ${type.disk} GB disk, smaller than the server's ${server.primary_disk_size} GB`,
    );
  const action = startAction(context, { command: 'change_server_type', resources: [serverRef(server)] });
  if (!action.failure) {
    server.server_type = type.id;
    if (body.upgrade_disk) server.primary_disk_size = type.disk;
  }
  return answer(context, action);
};

export function serverActionRoutes(router: Router<Handler>): void {
  const at = (name: string) => `/servers/{id}/actions/${name}`;
  router
    .post(
      at('poweron'),
      simple('start_server', (s) => (s.status = 'running')),
    )
    .post(
      at('poweroff'),
      simple('stop_server', (s) => (s.status = 'off')),
    )
    .post(
      at('shutdown'),
      simple('shutdown_server', (s) => (s.status = 'off')),
    )
    .post(
      at('reboot'),
      simple('reboot_server', (s) => (s.status = 'running')),
    )
    .post(
      at('reset'),
      simple('reset_server', (s) => (s.status = 'running')),
    )
    .post(at('rebuild'), rebuild)
    .post(at('change_protection'), changeProtection)
    .post(at('attach_to_network'), attachToNetwork)
    .post(at('detach_from_network'), detachFromNetwork)
    .post(at('add_to_placement_group'), addToPlacementGroup)
    .post(at('remove_from_placement_group'), removeFromPlacementGroup)
    .post(at('change_type'), changeType);
}
