import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { actionsOf, running, type Action } from './actions';
import type { Datacenter, Location } from './catalog';
import { restResource } from './rest-resource';

/** A public address that outlives its server: the cluster keeps its IPs across rebuilds. */
export interface PrimaryIp {
  id: number;
  name: string;
  labels: Labels;
  created: string;
  blocked: boolean;
  /** Deprecated by Hetzner in favour of `location`. */
  datacenter: Datacenter;
  location: Location;
  ip: string;
  dns_ptr: Array<{ ip: string; dns_ptr: string }>;
  protection: { delete: boolean };
  type: 'ipv4' | 'ipv6';
  /** Deleted together with the server it is assigned to. */
  auto_delete: boolean;
  assignee_type: 'server';
  assignee_id: number | null;
}

export interface CreatePrimaryIp {
  name: string;
  type: 'ipv4' | 'ipv6';
  assignee_type: 'server';
  /** Assign it right away (the server must be off); otherwise give `location`. */
  assignee_id?: number | null;
  location?: string;
  auto_delete?: boolean;
  labels?: Labels;
}

export interface UpdatePrimaryIp {
  name?: string;
  labels?: Labels;
  auto_delete?: boolean;
}

/** A created (or recovered) primary IP and the actions to wait for (an assignment, if asked for). */
export interface PrimaryIpCreated {
  primary_ip: PrimaryIp;
  actions: Action[];
}

const api = restResource<PrimaryIp, UpdatePrimaryIp>('primary_ips', 'primary_ip');

export function list(client: HcloudClient, filter: ListFilter & { ip?: string } = {}): Promise<PrimaryIp[]> {
  return api.list(client, { ...listQuery(filter), ip: filter.ip });
}

export const get = api.get;

/** create_primary_ip. A lost answer is recovered by name and labels, with its still-running actions. */
export async function create(client: HcloudClient, body: CreatePrimaryIp): Promise<PrimaryIpCreated> {
  type Answer = { primary_ip: PrimaryIp; action?: Action | null; actions?: Action[] };
  const answer = await client.request<Answer>('POST', '/primary_ips', {
    body,
    recover: async () => {
      const found = await findCreated<PrimaryIp>(client, '/primary_ips', 'primary_ips', body);
      return found && { primary_ip: found, actions: await running(client, 'primary_ips', found.id) };
    },
  });
  return { primary_ip: answer.primary_ip, actions: actionsOf(answer) };
}

export const update = api.update;

/** delete_primary_ip; it must be unassigned first. */
const remove = api.delete;
export { remove as delete };

/** The server must be off. */
export async function assign(
  client: HcloudClient,
  id: number,
  body: { assignee_id: number; assignee_type?: 'server' },
): Promise<Action> {
  const sent = { assignee_type: 'server' as const, ...body };
  return api.action(client, id, 'assign', sent);
}

/** The server must be off. */
export async function unassign(client: HcloudClient, id: number): Promise<Action> {
  return api.action(client, id, 'unassign');
}

export async function changeProtection(client: HcloudClient, id: number, body: { delete: boolean }): Promise<Action> {
  return api.action(client, id, 'change_protection', body);
}
