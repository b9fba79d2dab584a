// What the API reports, reduced to what the plan compares, with IDs turned into names.
// Pure: the listings come in, comparable records go out.
import type { HetznerFirewallRule, ResourceType } from '@personal-cloud/cluster';
import type { Labels } from '../hcloud/labels';
import type { Firewall } from '../hcloud/resources/firewalls';
import type { Network } from '../hcloud/resources/networks';
import type { PlacementGroup } from '../hcloud/resources/placement-groups';
import type { PrimaryIp } from '../hcloud/resources/primary-ips';
import type { Server } from '../hcloud/resources/servers';
import type { SshKey } from '../hcloud/resources/ssh-keys';
import type { Volume } from '../hcloud/resources/volumes';

interface Base<T extends ResourceType> {
  type: T;
  id: number;
  name: string;
  labels: Labels;
}

export interface ObservedSshKey extends Base<'ssh_key'> {
  publicKey: string;
}
export interface ObservedNetwork extends Base<'network'> {
  ipRange: string;
  subnets: { ipRange: string; zone: string }[];
  protectDelete: boolean;
}
export interface ObservedFirewall extends Base<'firewall'> {
  rules: HetznerFirewallRule[];
  labelSelectors: string[];
  /** Servers it is applied to one by one (not through a selector): removed before deletion. */
  servers: number[];
}
export interface ObservedPlacementGroup extends Base<'placement_group'> {
  groupType: string;
}
export interface ObservedPrimaryIp extends Base<'primary_ip'> {
  location: string;
  ip: string;
  /** The server it is assigned to, by name (`#id` when the server is not ours). */
  assignee: string | null;
  autoDelete: boolean;
  protectDelete: boolean;
}
export interface ObservedVolume extends Base<'volume'> {
  sizeGb: number;
  location: string;
  format: string | null;
  server: string | null;
  protectDelete: boolean;
}
export interface ObservedServer extends Base<'server'> {
  serverType: string;
  /** The image it was installed from, by name (`#id` for one without a name, null when unknown). */
  image: string | null;
  location: string;
  status: string;
  /** `mac` is the private interface's MAC address: the hosts layer matches the interface by it. */
  networks: { name: string; ip: string; mac?: string }[];
  placementGroup: string | null;
  /** The name of its IPv4 primary IP (`#id` for an automatic one, which is not ours). */
  primaryIpv4: string | null;
  /** The primary IPs behind its addresses: what must let go when the addresses change. */
  ipv4Id: number | null;
  ipv6Id: number | null;
  publicIpv4: string | null;
  publicIpv6: string | null;
  volumes: string[];
  protectDelete: boolean;
}

export type Observed =
  | ObservedSshKey
  | ObservedNetwork
  | ObservedFirewall
  | ObservedPlacementGroup
  | ObservedPrimaryIp
  | ObservedVolume
  | ObservedServer;

/** One paginated list per resource type: everything the cluster's labels select. */
export interface Listings {
  ssh_keys: SshKey[];
  networks: Network[];
  firewalls: Firewall[];
  placement_groups: PlacementGroup[];
  primary_ips: PrimaryIp[];
  volumes: Volume[];
  servers: Server[];
}

export function observedKey(resource: { type: ResourceType; name: string }): string {
  return `${resource.type}/${resource.name}`;
}

/** Turns listings into comparable records. References to resources outside the listings become `#id`. */
export function observe(listings: Listings): Observed[] {
  const nameOf = (items: { id: number; name: string }[]) => {
    const names = new Map(items.map((i) => [i.id, i.name]));
    return (id: number | null | undefined) => (id === null || id === undefined ? null : (names.get(id) ?? `#${id}`));
  };
  const network = nameOf(listings.networks);
  const server = nameOf(listings.servers);
  const volume = nameOf(listings.volumes);
  const group = nameOf(listings.placement_groups);
  const primaryIp = nameOf(listings.primary_ips);

  return [
    ...listings.ssh_keys.map(
      (k): ObservedSshKey => ({
        type: 'ssh_key',
        id: k.id,
        name: k.name,
        labels: k.labels ?? {},
        publicKey: k.public_key,
      }),
    ),
    ...listings.networks.map(
      (n): ObservedNetwork => ({
        type: 'network',
        id: n.id,
        name: n.name,
        labels: n.labels ?? {},
        ipRange: n.ip_range,
        subnets: n.subnets
          .filter((s) => s.type === 'cloud' && s.ip_range)
          .map((s) => ({ ipRange: s.ip_range!, zone: s.network_zone })),
        protectDelete: n.protection.delete,
      }),
    ),
    ...listings.firewalls.map(
      (f): ObservedFirewall => ({
        type: 'firewall',
        id: f.id,
        name: f.name,
        labels: f.labels ?? {},
        // Every rule, outbound too: one added by hand (which blocks all other egress) is drift.
        rules: f.rules.map((r) => ({
          direction: r.direction,
          protocol: r.protocol,
          ...(r.port ? { port: r.port } : {}),
          ...(r.direction === 'in' ? { source_ips: r.source_ips } : { destination_ips: r.destination_ips }),
          description: r.description ?? '',
        })),
        labelSelectors: f.applied_to.flatMap((a) =>
          a.type === 'label_selector' && a.label_selector ? [a.label_selector.selector] : [],
        ),
        servers: f.applied_to.flatMap((a) => (a.type === 'server' && a.server ? [a.server.id] : [])),
      }),
    ),
    ...listings.placement_groups.map(
      (g): ObservedPlacementGroup => ({
        type: 'placement_group',
        id: g.id,
        name: g.name,
        labels: g.labels ?? {},
        groupType: g.type,
      }),
    ),
    ...listings.primary_ips.map(
      (p): ObservedPrimaryIp => ({
        type: 'primary_ip',
        id: p.id,
        name: p.name,
        labels: p.labels ?? {},
        location: p.location.name,
        ip: p.ip,
        assignee: server(p.assignee_id),
        autoDelete: p.auto_delete,
        protectDelete: p.protection.delete,
      }),
    ),
    ...listings.volumes.map(
      (v): ObservedVolume => ({
        type: 'volume',
        id: v.id,
        name: v.name,
        labels: v.labels ?? {},
        sizeGb: v.size,
        location: v.location.name,
        format: v.format,
        server: server(v.server),
        protectDelete: v.protection.delete,
      }),
    ),
    ...listings.servers.map(
      (s): ObservedServer => ({
        type: 'server',
        id: s.id,
        name: s.name,
        labels: s.labels ?? {},
        serverType: s.server_type.name,
        image: s.image ? (s.image.name ?? `#${s.image.id}`) : null,
        location: s.location?.name ?? s.datacenter.location.name,
        status: s.status,
        networks: s.private_net.flatMap((p) =>
          p.network !== undefined && p.ip
            ? [{ name: network(p.network)!, ip: p.ip, ...(p.mac_address ? { mac: p.mac_address } : {}) }]
            : [],
        ),
        placementGroup: group(s.placement_group?.id),
        primaryIpv4: s.public_net.ipv4?.id !== undefined ? primaryIp(s.public_net.ipv4.id) : null,
        ipv4Id: s.public_net.ipv4?.id ?? null,
        ipv6Id: s.public_net.ipv6?.id ?? null,
        publicIpv4: s.public_net.ipv4?.ip ?? null,
        publicIpv6: s.public_net.ipv6?.ip ?? null,
        volumes: (s.volumes ?? []).map((id) => volume(id)!),
        protectDelete: s.protection.delete,
      }),
    ),
  ];
}
