import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { actionsOf, running, type Action } from './actions';
import type { Datacenter, Image, Location, ServerType } from './catalog';
import type { PlacementGroup } from './placement-groups';
import { restResource } from './rest-resource';

export type ServerStatus =
  | 'running'
  | 'initializing'
  | 'starting'
  | 'stopping'
  | 'off'
  | 'deleting'
  | 'migrating'
  | 'rebuilding'
  | 'unknown';

export interface Server {
  id: number;
  name: string;
  status: ServerStatus;
  created: string;
  public_net: {
    /** `id` is the Primary IP's. */
    ipv4: { id?: number; ip: string; blocked: boolean; dns_ptr: string } | null;
    ipv6: { id?: number; ip: string; blocked: boolean; dns_ptr: Array<{ ip: string; dns_ptr: string }> | null } | null;
    floating_ips: number[];
    firewalls?: Array<{ id?: number; status?: 'applied' | 'pending' }>;
  };
  private_net: Array<{ network?: number; ip?: string; alias_ips?: string[]; mac_address?: string }>;
  server_type: ServerType;
  /** Deprecated by Hetzner in favour of `location`. */
  datacenter: Datacenter;
  location: Location;
  image: Image | null;
  iso: unknown;
  rescue_enabled: boolean;
  locked: boolean;
  backup_window: string | null;
  outgoing_traffic: number | null;
  ingoing_traffic: number | null;
  included_traffic: number | null;
  protection: { delete: boolean; rebuild: boolean };
  labels: Labels;
  volumes?: number[];
  load_balancers?: number[];
  primary_disk_size: number;
  placement_group?: PlacementGroup | null;
}

/** create_server's body. Ids or names where the API takes either (`server_type`, `image`, `ssh_keys`). */
export interface CreateServer {
  name: string;
  server_type: string;
  image: string;
  location?: string;
  ssh_keys?: string[];
  placement_group?: number;
  volumes?: number[];
  automount?: boolean;
  networks?: number[];
  firewalls?: Array<{ firewall: number }>;
  public_net?: {
    enable_ipv4?: boolean;
    enable_ipv6?: boolean;
    /** Id of an ipv4 Primary IP to use instead of a new one. */
    ipv4?: number | null;
    ipv6?: number | null;
  };
  user_data?: string;
  labels?: Labels;
  start_after_create?: boolean;
}

export interface UpdateServer {
  name?: string;
  labels?: Labels;
}

/** A created (or recovered) server and the actions to wait for: `[action, ...next_actions]`, or the running ones after a recovery. */
export interface ServerCreated {
  server: Server;
  actions: Action[];
  /** Only when no SSH key was given (and never after a recovery). */
  root_password: string | null;
}

const api = restResource<Server, UpdateServer>('servers', 'server');

export function list(client: HcloudClient, filter: ListFilter & { status?: ServerStatus[] } = {}): Promise<Server[]> {
  return api.list(client, { ...listQuery(filter), status: filter.status });
}

export const get = api.get;

/**
 * create_server. A lost answer is recovered by name and labels; the actions to wait for are then
 * the server's still-running ones (create_server, start_server, attach…), found by
 * `GET /servers/{id}/actions?status=running`.
 */
export async function create(client: HcloudClient, body: CreateServer): Promise<ServerCreated> {
  // The API's answer has `action` + `next_actions`; a recovered one has `actions`.
  type Answer = {
    server: Server;
    action?: Action | null;
    next_actions?: Action[];
    actions?: Action[];
    root_password: string | null;
  };
  const answer = await client.request<Answer>('POST', '/servers', {
    body,
    recover: async () => {
      const found = await findCreated<Server>(client, '/servers', 'servers', body);
      return found && { server: found, actions: await running(client, 'servers', found.id), root_password: null };
    },
  });
  return { server: answer.server, actions: actionsOf(answer), root_password: answer.root_password ?? null };
}

export const update = api.update;

/** delete_server: its action, or undefined when a retry found the server already gone. */
const remove = api.delete;
export { remove as delete };

const serverAction = api.action;

export function powerOn(client: HcloudClient, id: number): Promise<Action> {
  return serverAction(client, id, 'poweron');
}

/** Cuts the power: the fast way, for servers about to be changed or deleted. */
export function powerOff(client: HcloudClient, id: number): Promise<Action> {
  return serverAction(client, id, 'poweroff');
}

/** Asks the OS to shut down (ACPI); the action ends when the request is sent, not when the server is off. */
export function shutdown(client: HcloudClient, id: number): Promise<Action> {
  return serverAction(client, id, 'shutdown');
}

/** change_server_type; the server must be off. `upgrade_disk: false` keeps the disk so the type can go back down. */
export function changeType(
  client: HcloudClient,
  id: number,
  body: { server_type: string; upgrade_disk: boolean },
): Promise<Action> {
  return serverAction(client, id, 'change_type', body);
}

export function attachToNetwork(
  client: HcloudClient,
  id: number,
  body: { network: number; ip?: string; alias_ips?: string[]; ip_range?: string },
): Promise<Action> {
  return serverAction(client, id, 'attach_to_network', body);
}

export function detachFromNetwork(client: HcloudClient, id: number, body: { network: number }): Promise<Action> {
  return serverAction(client, id, 'detach_from_network', body);
}

/** The server must be off. */
export function addToPlacementGroup(
  client: HcloudClient,
  id: number,
  body: { placement_group: number },
): Promise<Action> {
  return serverAction(client, id, 'add_to_placement_group', body);
}

export function removeFromPlacementGroup(client: HcloudClient, id: number): Promise<Action> {
  return serverAction(client, id, 'remove_from_placement_group');
}

/** Hetzner requires `delete` and `rebuild` to be equal. */
export function changeProtection(
  client: HcloudClient,
  id: number,
  body: { delete?: boolean; rebuild?: boolean },
): Promise<Action> {
  return serverAction(client, id, 'change_protection', body);
}

/** rebuild_server: reinstalls from `image`, wiping the disk. */
export async function rebuild(
  client: HcloudClient,
  id: number,
  body: { image: string; user_data?: string },
): Promise<{ actions: Action[]; root_password: string | null }> {
  const answer = await client.request<{ action?: Action; root_password?: string | null }>(
    'POST',
    `/servers/${id}/actions/rebuild`,
    { body },
  );
  return { actions: actionsOf(answer), root_password: answer.root_password ?? null };
}
