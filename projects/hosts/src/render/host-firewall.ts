// What a node's own firewall opens, per interface. Hetzner's firewall guards only the public
// interface; on the private network and on Tailscale the host's firewall is the only guard.
// SSH and the Kubernetes API answer only there, whatever a public rule says: on the public
// interface those two stay closed.
import { hostFirewallRules, type LayerConfig, type FirewallRuleConfig, type NodeModel } from '@personal-cloud/cluster';
import { K3S_PEER_PORTS } from './k3s-settings';

export interface PortRange {
  from: number;
  to: number;
}

export interface PortSet {
  tcp: number[];
  udp: number[];
  tcpRanges: PortRange[];
  udpRanges: PortRange[];
}

export interface HostFirewall {
  public: PortSet;
  private: PortSet;
  tailscale: PortSet;
}

const SSH = 22;
const KUBE_API = 6443;
const PRIVATE_AND_TAILSCALE_ONLY = new Set([SSH, KUBE_API]);

function emptySet(): PortSet {
  return { tcp: [], udp: [], tcpRanges: [], udpRanges: [] };
}

/** Adds a port ("80" or "2379-2380") of a TCP or UDP rule; other protocols need no port opened. */
function addPort(set: PortSet, protocol: FirewallRuleConfig['protocol'], port: string): void {
  if (protocol !== 'tcp' && protocol !== 'udp') return;
  const [from, to] = port.split('-').map(Number) as [number, number | undefined];
  if (to === undefined || to === from) set[protocol].push(from);
  else set[protocol === 'tcp' ? 'tcpRanges' : 'udpRanges'].push({ from, to });
}

function sorted(set: PortSet): PortSet {
  const ports = (list: number[]) => [...new Set(list)].sort((a, b) => a - b);
  const ranges = (list: PortRange[]) =>
    [...new Map(list.map((r) => [`${r.from}-${r.to}`, r])).values()].sort((a, b) => a.from - b.from);
  return {
    tcp: ports(set.tcp),
    udp: ports(set.udp),
    tcpRanges: ranges(set.tcpRanges),
    udpRanges: ranges(set.udpRanges),
  };
}

/**
 * Whether a rule for `roles` applies to the node. A rule for the control plane applies to every
 * k3s server: in phase 1 the one worker is the server that answers the Kubernetes API.
 */
function appliesTo(roles: readonly string[] | 'all' | undefined, node: NodeModel): boolean {
  if (roles === undefined || roles === 'all') return true;
  return roles.includes(node.role) || (node.k3s.role === 'server' && roles.includes('control-plane'));
}

export function hostFirewall(config: LayerConfig<'hosts'>, node: NodeModel): HostFirewall {
  const result: HostFirewall = { public: emptySet(), private: emptySet(), tailscale: emptySet() };

  for (const rule of config.firewall.rules) {
    const fromPublic = rule.from.some((source) => source !== 'tailscale' && source !== 'private-network');
    if (!fromPublic || rule.port === undefined || !appliesTo(rule.roles, node)) continue;
    if (PRIVATE_AND_TAILSCALE_ONLY.has(Number(rule.port))) continue;
    addPort(result.public, rule.protocol, String(rule.port));
  }
  for (const rule of hostFirewallRules(config)) {
    if (rule.port === undefined || !appliesTo(rule.roles, node)) continue;
    addPort(rule.interface === 'private' ? result.private : result.tailscale, rule.protocol, rule.port);
  }

  // The operator and the hosts layer reach every node over SSH on both; servers answer the API there.
  for (const set of [result.private, result.tailscale]) {
    set.tcp.push(SSH);
    if (node.k3s.role === 'server') set.tcp.push(KUBE_API);
  }
  const peers = K3S_PEER_PORTS[node.k3s.role];
  result.private.tcp.push(...peers.tcp);
  result.private.udp.push(...peers.udp);
  result.private.tcpRanges.push(...peers.tcpRanges);

  return { public: sorted(result.public), private: sorted(result.private), tailscale: sorted(result.tailscale) };
}
