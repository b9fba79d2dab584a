/**
 * A small typed client for the Hetzner Cloud API. Cross-cutting behaviour lives once each (client,
 * retry-policy, pagination, action-waiter, errors, endpoint); each resource is a module of
 * functions taking the client: `servers.create(client, body)`, `networks.list(client, { labelSelector })`.
 */
export {
  HcloudClient,
  queryString,
  userAgent,
  type HcloudClientOptions,
  type HttpMethod,
  type RateLimit,
  type RequestOptions,
} from './client';
export { ActionWaiter, defaultPollPolicy, pollInterval, type PollPolicy, type WaitOptions } from './action-waiter';
export { realSleep, type Now, type Sleep } from './clock';
export { HcloudError, isHcloudError, type HcloudErrorInit } from './errors';
export { HETZNER_ENDPOINT, resolveEndpoint, validateToken } from './endpoint';
export { labelSelector, sameLabels, type Labels } from './labels';
export { PER_PAGE, listQuery, type ListFilter, type Pagination, type Query, type QueryValue } from './pagination';
export { defaultRetryPolicy, type RetryPolicy } from './retry-policy';

export * as actions from './resources/actions';
export * as catalog from './resources/catalog';
export * as firewalls from './resources/firewalls';
export * as networks from './resources/networks';
export * as placementGroups from './resources/placement-groups';
export * as pricing from './resources/pricing';
export * as primaryIps from './resources/primary-ips';
export * as servers from './resources/servers';
export * as sshKeys from './resources/ssh-keys';
export * as volumes from './resources/volumes';

export type { Action } from './resources/actions';
export type { Datacenter, Image, Location, ServerType } from './resources/catalog';
export type { Firewall, FirewallRule, FirewallTarget, NewFirewallRule } from './resources/firewalls';
export type { Network, NewSubnet, Subnet } from './resources/networks';
export type { PlacementGroup } from './resources/placement-groups';
export type { Pricing } from './resources/pricing';
export type { PrimaryIp } from './resources/primary-ips';
export type { CreateServer, Server, ServerStatus } from './resources/servers';
export type { SshKey } from './resources/ssh-keys';
export type { Volume } from './resources/volumes';
