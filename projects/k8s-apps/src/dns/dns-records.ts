// The DNS records the apps need: each active app's host (website, the cache) points at every
// worker's public IPv4 and IPv6, where k3s's service load balancer exposes Traefik. From the
// vault's vars (infra records each server's addresses). Pure.
import { lookupVar, nodesInPhase, type LayerConfig, type VarsDocument } from '@personal-cloud/cluster';

export interface DnsRecord {
  host: string;
  type: 'A' | 'AAAA';
  address: string;
  /** The node whose address it is. */
  node: string;
}

export interface DnsRecords {
  records: DnsRecord[];
  /** Workers the vault has no public address for yet (infra:provision records them). */
  unknown: string[];
}

/** Hetzner gives a server an IPv6 /64; the server answers on its first address, `…::1`. */
export function serverIpv6(network: string): string {
  const [prefix] = network.split('/');
  return prefix!.endsWith('::') ? `${prefix}1` : prefix!;
}

export function dnsRecords(config: LayerConfig<'k8s-apps'>, vars: VarsDocument): DnsRecords {
  const hosts = config.apps
    .filter((app) => app.fromPhase <= config.phase && app.host)
    .map((app) => app.host!)
    .sort();
  const workers = nodesInPhase(config).filter((node) => node.role === 'worker');
  const records: DnsRecord[] = [];
  const unknown: string[] = [];
  for (const node of workers) {
    const ipv4 = lookupVar(vars, `CLUSTER.${node.varsKey}.public_ipv4`);
    const ipv6 = lookupVar(vars, `CLUSTER.${node.varsKey}.public_ipv6`);
    if (typeof ipv4 !== 'string' && typeof ipv6 !== 'string') unknown.push(node.name);
    for (const host of hosts) {
      if (typeof ipv4 === 'string') records.push({ host, type: 'A', address: ipv4, node: node.name });
      if (typeof ipv6 === 'string') records.push({ host, type: 'AAAA', address: serverIpv6(ipv6), node: node.name });
    }
  }
  records.sort((a, b) => (`${a.host} ${a.type} ${a.address}` < `${b.host} ${b.type} ${b.address}` ? -1 : 1));
  return { records, unknown };
}

/** Zone-file lines: `example.org. 300 IN A 203.0.113.1`. */
export function formatRecords(records: readonly DnsRecord[]): string[] {
  return records.map((r) => `${r.host}. 300 IN ${r.type} ${r.address}    ; ${r.node}`);
}

export type Resolve = (host: string, type: 'A' | 'AAAA') => Promise<string[]>;

/** The records a resolver does not return; a name that does not resolve lacks all of its records. */
export async function missingRecords(records: readonly DnsRecord[], resolve: Resolve): Promise<DnsRecord[]> {
  const answers = new Map<string, Promise<string[]>>();
  const answer = (host: string, type: 'A' | 'AAAA') => {
    const key = `${host} ${type}`;
    if (!answers.has(key))
      answers.set(
        key,
        resolve(host, type).catch(() => []),
      );
    return answers.get(key)!;
  };
  const missing: DnsRecord[] = [];
  for (const record of records)
    if (!(await answer(record.host, record.type)).includes(record.address)) missing.push(record);
  return missing;
}
