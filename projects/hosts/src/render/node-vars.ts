// The concrete values a node's NixOS needs from the vault's vars, which infra records when it
// creates the server (vars.CLUSTER.<NODE>.*). Every missing one is named at once.
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

/** Collects each node's values, or names every missing var (and what records it) in one sentence. */
export function readNodeVars(nodes: readonly NodeModel[], vars: VarsDocument): Map<string, NodeVars> {
  const missing: string[] = [];
  const result = new Map<string, NodeVars>();
  for (const node of nodes) {
    const base = `CLUSTER.${node.varsKey}`;
    const need = (path: string): string | undefined => {
      const value = lookupVar(vars, `${base}.${path}`);
      if (value === undefined || value === '') missing.push(`vars.${base}.${path}`);
      return value === undefined ? undefined : String(value);
    };
    const id = need('hetzner_id');
    const mac = need('private_mac');
    const volumeIds: Record<string, number> = {};
    for (const volume of node.volumes) {
      const volumeId = need(`volumes.${volume.name}.hetzner_id`);
      if (volumeId !== undefined) volumeIds[volume.name] = Number(volumeId);
    }
    const ipv4 = lookupVar(vars, `${base}.public_ipv4`);
    const ipv6 = node.ipv6 ? need('public_ipv6') : undefined;
    result.set(node.name, {
      hetznerId: Number(id),
      privateMac: (mac ?? '').toLowerCase(),
      publicIpv4: ipv4 === undefined ? null : String(ipv4),
      publicIpv6: ipv6 === undefined ? null : firstAddressOf(ipv6, `vars.${base}.public_ipv6`),
      volumeIds,
    });
  }
  if (missing.length)
    throw new CloudError(
      `the vault's vars lack ${missing.join(', ')}, which \`npx nx run infra:provision\` records when it creates the servers and volumes: run it first.`,
    );
  return result;
}

/** Hetzner gives a server a /64 (`2001:db8:1:2::/64`); the server takes its first address. */
export function firstAddressOf(network: string, varName: string): string {
  const match = /^([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,6})::\/64$/i.exec(network.trim());
  if (!match) throw new CloudError(`${varName} is "${network.slice(0, 50)}", which is not an IPv6 /64 network such as 2001:db8:1:2::/64.`);
  return `${match[1]!.toLowerCase()}::1/64`;
}
