// The concrete values a node's NixOS needs from the vault's vars, which infra records when it
// creates the server (vars.CLUSTER.<NODE>.*). A node whose server or volume does not exist yet
// lacks some: those are collected per node and named together.
import { CloudError, lookupVar, type NodeModel, type VarsDocument } from '@personal-cloud/cluster';

export interface NodeVars {
  hetznerId: number;
  privateMac: string;
  publicIpv4: string | null;
  /** The server's first address in its /64, e.g. 2001:db8:1:2::1/64. */
  publicIpv6: string | null;
  /** Volume name → Hetzner volume id. */
  volumeIds: Record<string, number>;
}

export interface NodeVarsReading {
  facts: Map<string, NodeVars>;
  /** Node name → the vars it lacks, for nodes whose server or volumes infra has not created yet. */
  missing: Map<string, string[]>;
}

/** Collects each node's values; a node lacking any is listed with every var it lacks instead. */
export function readNodeVars(nodes: readonly NodeModel[], vars: VarsDocument): NodeVarsReading {
  const facts = new Map<string, NodeVars>();
  const missing = new Map<string, string[]>();
  for (const node of nodes) {
    const base = `CLUSTER.${node.varsKey}`;
    const lacking: string[] = [];
    const need = (path: string): string => {
      const value = lookupVar(vars, `${base}.${path}`);
      if (value === undefined || value === '') lacking.push(`vars.${base}.${path}`);
      return String(value ?? '');
    };
    const hetznerId = Number(need('hetzner_id'));
    const privateMac = need('private_mac').toLowerCase();
    const volumeIds = Object.fromEntries(
      node.volumes.map((v) => [v.name, Number(need(`volumes.${v.name}.hetzner_id`))]),
    );
    const ipv4 = lookupVar(vars, `${base}.public_ipv4`);
    const ipv6 = node.ipv6 ? need('public_ipv6') : '';
    if (lacking.length) {
      missing.set(node.name, lacking);
      continue;
    }
    facts.set(node.name, {
      hetznerId,
      privateMac,
      publicIpv4: ipv4 === undefined ? null : String(ipv4),
      publicIpv6: node.ipv6 ? firstAddressOf(ipv6, `vars.${base}.public_ipv6`) : null,
      volumeIds,
    });
  }
  return { facts, missing };
}

/** One sentence naming every var the nodes lack, and what records them. */
export function missingVarsSentence(missing: readonly string[]): string {
  return `the vault's vars lack ${missing.join(', ')}, which \`npx nx run infra:provision\` records when it creates the servers and volumes: run it first.`;
}

/** Hetzner gives a server a /64 (`2001:db8:1:2::/64`); the server takes its first address. */
export function firstAddressOf(network: string, varName: string): string {
  const match = /^([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,6})::\/64$/i.exec(network.trim());
  if (!match)
    throw new CloudError(
      `${varName} is "${network.slice(0, 50)}", which is not an IPv6 /64 network such as 2001:db8:1:2::/64.`,
    );
  return `${match[1]!.toLowerCase()}::1/64`;
}
