// The Hetzner resources a phase needs, as plain data. Resources refer to each other by name,
// never by ID: IDs exist only after provisioning and live in the vault. The reconciler in the
// infra layer compares this list with what the API reports.
import type { ClusterConfig, Phase } from './config-schema';
import { hetznerFirewalls, type HetznerFirewallRule } from './firewall';
import { hetznerName, ownershipLabels } from './naming';
import { nodesInPhase, type NodeModel, type NodesConfig } from './nodes';

export const RESOURCE_TYPES = [
  'ssh_key',
  'network',
  'firewall',
  'placement_group',
  'primary_ip',
  'volume',
  'server',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

interface Base<T extends ResourceType> {
  type: T;
  /** The Hetzner name, unique per type in a project. */
  name: string;
  labels: Record<string, string>;
}

export interface DesiredSshKey extends Base<'ssh_key'> {
  publicKey: string;
}
export interface DesiredNetwork extends Base<'network'> {
  ipRange: string;
  subnets: { ipRange: string; zone: string }[];
}
export interface DesiredFirewall extends Base<'firewall'> {
  rules: HetznerFirewallRule[];
  labelSelector: string;
}
export interface DesiredPlacementGroup extends Base<'placement_group'> {
  groupType: 'spread';
}
export interface DesiredPrimaryIp extends Base<'primary_ip'> {
  location: string;
  /** The server it is assigned to. */
  server: string;
}
export interface DesiredVolume extends Base<'volume'> {
  sizeGb: number;
  location: string;
  format: 'ext4' | 'xfs';
  /** The server it is attached to. */
  server: string;
}
export interface DesiredServer extends Base<'server'> {
  serverType: string;
  image: string;
  location: string;
  sshKeys: string[];
  placementGroup?: string;
  network: { name: string; ip: string };
  primaryIpv4?: string;
  ipv6: boolean;
  volumes: string[];
}

export type DesiredResource =
  | DesiredSshKey
  | DesiredNetwork
  | DesiredFirewall
  | DesiredPlacementGroup
  | DesiredPrimaryIp
  | DesiredVolume
  | DesiredServer;

/** Concrete values the public config only names; render resolves them from the vault. */
export interface ResolvedSecrets {
  sshPublicKey: string;
  operatorAddress: string;
}

export function operatorKeyName(cluster: string): string {
  return hetznerName(cluster, 'operator');
}

/** The fields the Hetzner resources come from. */
export type DesiredConfig = NodesConfig & Pick<ClusterConfig, 'tailscale' | 'firewall'>;

export function desiredResources(
  config: DesiredConfig,
  secrets: ResolvedSecrets,
  phase: Phase = config.phase as Phase,
): DesiredResource[] {
  const nodes = nodesInPhase(config, phase);
  const key = operatorKeyName(config.name);
  const out: DesiredResource[] = [
    {
      type: 'ssh_key',
      name: key,
      labels: ownershipLabels(config.name, 'operator', 'operator'),
      publicKey: secrets.sshPublicKey,
    },
  ];
  for (const network of config.networks)
    out.push({
      type: 'network',
      name: hetznerName(config.name, network.name),
      labels: ownershipLabels(config.name, 'network', network.name),
      ipRange: network.ipRange,
      subnets: network.subnets.map((s) => ({ ipRange: s.ipRange, zone: s.zone })),
    });
  for (const firewall of hetznerFirewalls(config, secrets.operatorAddress))
    out.push({
      type: 'firewall',
      name: firewall.name,
      labels: firewall.labels,
      rules: firewall.rules,
      labelSelector: firewall.labelSelector,
    });
  out.push(...placementGroups(config.name, nodes));
  for (const node of nodes) out.push(...nodeResources(config, node, key));
  return out;
}

function placementGroups(cluster: string, nodes: NodeModel[]): DesiredPlacementGroup[] {
  const groups = new Map<string, NodeModel>();
  for (const node of nodes)
    if (node.placementGroup && !groups.has(node.placementGroup)) groups.set(node.placementGroup, node);
  return [...groups].map(([name, first]) => ({
    type: 'placement_group',
    name,
    labels: ownershipLabels(cluster, first.role, name.slice(cluster.length + 1)),
    groupType: 'spread',
  }));
}

function nodeResources(config: Pick<ClusterConfig, 'name'>, node: NodeModel, sshKey: string): DesiredResource[] {
  const label = (name: string) => ownershipLabels(config.name, node.role, name);
  const out: DesiredResource[] = [];
  if (node.primaryIpv4)
    out.push({
      type: 'primary_ip',
      name: node.primaryIpv4,
      labels: label(`${node.name}-ipv4`),
      location: node.location,
      server: node.hetznerName,
    });
  for (const volume of node.volumes)
    out.push({
      type: 'volume',
      name: volume.hetznerName,
      labels: label(`${node.name}-${volume.name}`),
      sizeGb: volume.sizeGb,
      location: node.location,
      format: volume.format,
      server: node.hetznerName,
    });
  out.push({
    type: 'server',
    name: node.hetznerName,
    labels: { ...label(node.name), pool: node.pool },
    serverType: node.serverType,
    image: node.image,
    location: node.location,
    sshKeys: [sshKey],
    placementGroup: node.placementGroup,
    network: { name: hetznerName(config.name, node.network), ip: node.privateIp },
    primaryIpv4: node.primaryIpv4,
    ipv6: node.ipv6,
    volumes: node.volumes.map((v) => v.hetznerName),
  });
  return out;
}
