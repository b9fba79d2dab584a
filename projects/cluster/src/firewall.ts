// Firewall intent → what Hetzner can enforce, and what only the hosts can.
// Hetzner's firewalls see public interfaces only: private-network traffic never reaches them,
// and Tailscale traffic arrives inside WireGuard (UDP 41641). So a rule whose sources are
// "private-network" or "tailscale" produces no Hetzner rule; it becomes a host rule on the
// matching interface instead, and Tailscale itself needs its UDP port open for direct paths.
import type { ClusterConfig, FirewallRuleConfig, Role } from './config-schema';
import { hetznerName, ownershipLabels, MANAGED_BY } from './naming';

/** A rule as Hetzner holds it. Ours are all inbound; an outbound one found in Hetzner was added by hand. */
export interface HetznerFirewallRule {
  direction: 'in' | 'out';
  protocol: 'tcp' | 'udp' | 'icmp' | 'gre' | 'esp';
  port?: string;
  source_ips?: string[];
  destination_ips?: string[];
  description: string;
}

export interface FirewallModel {
  name: string;
  /** `all` or a role: whose servers the firewall applies to. */
  appliesTo: 'all' | Role;
  labelSelector: string;
  labels: Record<string, string>;
  rules: HetznerFirewallRule[];
}

/** A rule the hosts layer enforces on an interface Hetzner's firewall cannot see. */
export interface HostFirewallRule {
  name: string;
  protocol: FirewallRuleConfig['protocol'];
  port?: string;
  interface: 'tailscale0' | 'private';
  roles: Role[] | 'all';
}

export const TAILSCALE_UDP_PORT = '41641';

const ANYWHERE = ['0.0.0.0/0', '::/0'];

function cidrOf(address: string): string {
  return address.includes('/') ? address : `${address}/32`;
}

function publicSources(rule: FirewallRuleConfig, operatorAddress: string): string[] {
  return [
    ...new Set(
      rule.from.flatMap((source) => {
        if (source === 'any') return ANYWHERE;
        if (source === 'operator') return [cidrOf(operatorAddress)];
        if (source === 'tailscale' || source === 'private-network') return [];
        return [source];
      }),
    ),
  ];
}

/** The Hetzner firewalls: one for rules on every server, one per role with rules of its own. */
export function hetznerFirewalls(
  config: Pick<ClusterConfig, 'name' | 'tailscale' | 'firewall'>,
  operatorAddress: string,
): FirewallModel[] {
  const groups = new Map<'all' | Role, HetznerFirewallRule[]>([['all', []]]);
  if (config.tailscale.enabled)
    groups.get('all')!.push({
      direction: 'in',
      protocol: 'udp',
      port: TAILSCALE_UDP_PORT,
      source_ips: ANYWHERE,
      description: 'tailscale direct connections',
    });
  for (const rule of config.firewall.rules) {
    const sources = publicSources(rule, operatorAddress);
    if (!sources.length) continue;
    const hetznerRule: HetznerFirewallRule = {
      direction: 'in',
      protocol: rule.protocol,
      ...(rule.port !== undefined ? { port: String(rule.port) } : {}),
      source_ips: sources,
      description: rule.name,
    };
    for (const target of rule.roles ?? ['all' as const]) {
      if (!groups.has(target)) groups.set(target, []);
      groups.get(target)!.push(hetznerRule);
    }
  }
  return [...groups].map(([appliesTo, rules]) => ({
    name: hetznerName(config.name, appliesTo),
    appliesTo,
    labelSelector:
      appliesTo === 'all'
        ? `managed-by=${MANAGED_BY},cluster=${config.name}`
        : `managed-by=${MANAGED_BY},cluster=${config.name},role=${appliesTo}`,
    labels: ownershipLabels(config.name, 'firewall', appliesTo),
    rules,
  }));
}

/** The rules only a host can enforce: those from the private network or the tailnet. */
export function hostFirewallRules(config: Pick<ClusterConfig, 'firewall'>): HostFirewallRule[] {
  return config.firewall.rules.flatMap((rule) =>
    rule.from
      .filter(
        (source): source is 'tailscale' | 'private-network' => source === 'tailscale' || source === 'private-network',
      )
      .map((source) => ({
        name: rule.name,
        protocol: rule.protocol,
        ...(rule.port !== undefined ? { port: String(rule.port) } : {}),
        interface: source === 'tailscale' ? ('tailscale0' as const) : ('private' as const),
        roles: rule.roles ?? ('all' as const),
      })),
  );
}
