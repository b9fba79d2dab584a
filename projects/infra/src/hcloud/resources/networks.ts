import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import type { Action } from './actions';
import { restResource } from './rest-resource';

export interface Subnet {
  type: 'cloud' | 'server' | 'vswitch';
  ip_range?: string;
  network_zone: string;
  gateway: string;
  vswitch_id?: number | null;
}

export interface Route {
  destination: string;
  gateway: string;
}

export interface Network {
  id: number;
  name: string;
  ip_range: string;
  subnets: Subnet[];
  routes: Route[];
  /** Ids of attached servers. */
  servers: number[];
  load_balancers?: number[];
  protection: { delete: boolean };
  labels: Labels;
  created: string;
  expose_routes_to_vswitch: boolean;
}

/** A subnet to add (add_network_subnet, or `subnets` of create_network); the API picks the gateway. */
export interface NewSubnet {
  type: 'cloud' | 'server' | 'vswitch';
  /** Omitted: the API picks a free /24 of the network's range. */
  ip_range?: string;
  network_zone: string;
  vswitch_id?: number;
}

export interface CreateNetwork {
  name: string;
  ip_range: string;
  labels?: Labels;
  subnets?: NewSubnet[];
  routes?: Route[];
  expose_routes_to_vswitch?: boolean;
}

export interface UpdateNetwork {
  name?: string;
  labels?: Labels;
  expose_routes_to_vswitch?: boolean;
}

const api = restResource<Network, UpdateNetwork>('networks', 'network');

export function list(client: HcloudClient, filter: ListFilter = {}): Promise<Network[]> {
  return api.list(client, listQuery(filter));
}

export const get = api.get;

/** create_network (with its subnets); a lost answer is recovered by name and labels. */
export async function create(client: HcloudClient, body: CreateNetwork): Promise<Network> {
  const answer = await client.request<{ network: Network }>('POST', '/networks', {
    body,
    recover: async () => {
      const found = await findCreated<Network>(client, '/networks', 'networks', body);
      return found && { network: found };
    },
  });
  return answer.network;
}

export const update = api.update;

const remove = api.delete;
export { remove as delete };

export async function addSubnet(client: HcloudClient, id: number, subnet: NewSubnet): Promise<Action> {
  return api.action(client, id, 'add_subnet', subnet);
}

export async function deleteSubnet(client: HcloudClient, id: number, body: { ip_range: string }): Promise<Action> {
  return api.action(client, id, 'delete_subnet', body);
}

export async function changeProtection(client: HcloudClient, id: number, body: { delete?: boolean }): Promise<Action> {
  return api.action(client, id, 'change_protection', body);
}

/** change_network_ip_range: a network can only grow, to a range that contains the old one. */
export async function changeIpRange(client: HcloudClient, id: number, body: { ip_range: string }): Promise<Action> {
  return api.action(client, id, 'change_ip_range', body);
}
