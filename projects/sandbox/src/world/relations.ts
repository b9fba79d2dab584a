// The reverse side of every relation, derived from the owning side in one pass over the world.
// Built at most once per request (and again only after a change), so listing 50 servers out of
// thousands never rescans the world per server.
import { matchesSelector, parseLabelSelector, type LabelSelector } from '../listing/label-selector';
import type { PrimaryIpRecord, World } from './world';

export interface Relations {
  volumesOf(serverId: number): number[];
  primaryIpsOf(serverId: number): { ipv4?: PrimaryIpRecord; ipv6?: PrimaryIpRecord };
  serversIn(networkId: number): number[];
  serversInGroup(placementGroupId: number): number[];
  /** Firewalls applied to a server, directly or through a label selector, without repeats. */
  firewallsOf(serverId: number): number[];
  /** The servers a firewall's label selector currently matches. */
  serversMatching(selector: string): number[];
  privateIpsTaken(networkId: number): Set<string>;
  publicIpsTaken(type: 'ipv4' | 'ipv6'): Set<string>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildRelations(world: World): Relations {
  const volumes = new Map<number, number[]>();
  const primaryIps = new Map<number, { ipv4?: PrimaryIpRecord; ipv6?: PrimaryIpRecord }>();
  const networks = new Map<number, number[]>();
  const groups = new Map<number, number[]>();
  const firewalls = new Map<number, number[]>();
  const privateIps = new Map<number, Set<string>>();
  const publicIps = { ipv4: new Set<string>(), ipv6: new Set<string>() };
  const selectorMatches = new Map<string, number[]>();

  const servers = Object.values(world.servers);
  // A server whose deletion was accepted has let go of everything (releaseServer); a label
  // selector no longer reaches it either.
  const leaving = new Set(
    world.running.flatMap((id) => {
      const action = world.actions[id];
      return action?.command === 'delete_server' && !action.failure
        ? action.resources.filter((r) => r.type === 'server').map((r) => r.id)
        : [];
    }),
  );
  for (const server of servers) {
    for (const net of server.private_net) {
      push(networks, net.network, server.id);
      let taken = privateIps.get(net.network);
      if (!taken) {
        taken = new Set();
        privateIps.set(net.network, taken);
      }
      taken.add(net.ip);
      for (const alias of net.alias_ips) taken.add(alias);
    }
    if (server.placement_group !== null) push(groups, server.placement_group, server.id);
  }
  for (const volume of Object.values(world.volumes))
    if (volume.server !== null) push(volumes, volume.server, volume.id);
  for (const ip of Object.values(world.primary_ips)) {
    publicIps[ip.type].add(ip.ip);
    if (ip.assignee_id === null) continue;
    const slot = primaryIps.get(ip.assignee_id) ?? {};
    slot[ip.type] = ip;
    primaryIps.set(ip.assignee_id, slot);
  }

  const matching = (selector: string): number[] => {
    let ids = selectorMatches.get(selector);
    if (!ids) {
      let parsed: LabelSelector | undefined;
      try {
        parsed = parseLabelSelector(selector);
      } catch {
        parsed = undefined;
      }
      ids = parsed
        ? servers.filter((s) => !leaving.has(s.id) && matchesSelector(s.labels, parsed)).map((s) => s.id)
        : [];
      selectorMatches.set(selector, ids);
    }
    return ids;
  };

  for (const firewall of Object.values(world.firewalls)) {
    const applied = new Set<number>();
    for (const target of firewall.applied_to) {
      if (target.type === 'server') applied.add(target.server.id);
      else for (const id of matching(target.label_selector.selector)) applied.add(id);
    }
    for (const serverId of applied) push(firewalls, serverId, firewall.id);
  }

  return {
    volumesOf: (id) => volumes.get(id) ?? [],
    primaryIpsOf: (id) => primaryIps.get(id) ?? {},
    serversIn: (id) => networks.get(id) ?? [],
    serversInGroup: (id) => groups.get(id) ?? [],
    firewallsOf: (id) => firewalls.get(id) ?? [],
    serversMatching: matching,
    privateIpsTaken: (id) => privateIps.get(id) ?? new Set(),
    publicIpsTaken: (type) => publicIps[type],
  };
}
