import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { actionsOf, running, type Action } from './actions';
import { restResource } from './rest-resource';

export interface FirewallRule {
  description?: string | null;
  direction: 'in' | 'out';
  /** For `in` rules: CIDRs allowed to reach the servers. */
  source_ips: string[];
  /** For `out` rules: CIDRs the servers may reach. */
  destination_ips: string[];
  protocol: 'tcp' | 'udp' | 'icmp' | 'esp' | 'gre';
  /** A port or range ("80", "8000-8999"); null for icmp, esp, gre. */
  port: string | null;
}

/** A rule as sent: the API fills in the list it was not given. */
export interface NewFirewallRule {
  description?: string | null;
  direction: 'in' | 'out';
  source_ips?: string[];
  destination_ips?: string[];
  protocol: FirewallRule['protocol'];
  port?: string;
}

/** What a firewall is applied to: one server, or every server matching a label selector. */
export type FirewallTarget =
  | { type: 'server'; server: { id: number } }
  | { type: 'label_selector'; label_selector: { selector: string } };

export interface Firewall {
  id: number;
  name: string;
  labels?: Labels;
  created: string;
  rules: FirewallRule[];
  applied_to: Array<{
    type: 'server' | 'label_selector';
    server?: { id: number };
    label_selector?: { selector: string };
    /** The servers a label selector currently matches. */
    applied_to_resources?: Array<{ type?: 'server'; server?: { id: number } }>;
  }>;
}

export interface CreateFirewall {
  name: string;
  labels?: Labels;
  rules?: NewFirewallRule[];
  apply_to?: FirewallTarget[];
}

export interface UpdateFirewall {
  name?: string;
  labels?: Labels;
}

/** A created (or recovered) firewall and the actions (applying it) to wait for. */
export interface FirewallCreated {
  firewall: Firewall;
  actions: Action[];
}

const api = restResource<Firewall, UpdateFirewall>('firewalls', 'firewall');

export function list(client: HcloudClient, filter: ListFilter = {}): Promise<Firewall[]> {
  return api.list(client, listQuery(filter));
}

export const get = api.get;

/**
 * create_firewall with its rules and targets. A lost answer is recovered by name and labels; the
 * actions to wait for are then the firewall's still-running ones.
 */
export async function create(client: HcloudClient, body: CreateFirewall): Promise<FirewallCreated> {
  const answer = await client.request<{ firewall: Firewall; actions?: Action[] }>('POST', '/firewalls', {
    body,
    recover: async () => {
      const found = await findCreated<Firewall>(client, '/firewalls', 'firewalls', body);
      return found && { firewall: found, actions: await running(client, 'firewalls', found.id) };
    },
  });
  return { firewall: answer.firewall, actions: actionsOf(answer) };
}

export const update = api.update;

const remove = api.delete;
export { remove as delete };

/** set_firewall_rules: replaces all rules. */
export async function setRules(client: HcloudClient, id: number, rules: NewFirewallRule[]): Promise<Action[]> {
  return (
    await client.request<{ actions: Action[] }>('POST', `/firewalls/${id}/actions/set_rules`, { body: { rules } })
  ).actions;
}

export async function applyToResources(client: HcloudClient, id: number, applyTo: FirewallTarget[]): Promise<Action[]> {
  return (
    await client.request<{ actions: Action[] }>('POST', `/firewalls/${id}/actions/apply_to_resources`, {
      body: { apply_to: applyTo },
    })
  ).actions;
}

export async function removeFromResources(
  client: HcloudClient,
  id: number,
  removeFrom: FirewallTarget[],
): Promise<Action[]> {
  return (
    await client.request<{ actions: Action[] }>('POST', `/firewalls/${id}/actions/remove_from_resources`, {
      body: { remove_from: removeFrom },
    })
  ).actions;
}
