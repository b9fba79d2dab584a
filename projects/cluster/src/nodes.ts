// The concrete servers of one phase, derived from pools. A node's name, vars key, address and
// placement group depend only on its pool and index, so growing a pool never renames,
// renumbers or moves an existing node, and phase 2 keeps phase 1's server as worker-1.
import { countInPhase, type ClusterConfig, type Phase, type PoolConfig, type Role } from './config-schema';
import { LIMITS } from './hetzner-catalog';
import { intToIp, parseCidr } from './ipv4';
import { defaultHostOffset, hetznerName, poolNodeName, varsKey } from './naming';

export interface NodeVolume {
  name: string;
  hetznerName: string;
  sizeGb: number;
  format: 'ext4' | 'xfs';
  mountPath: string;
}

export interface NodeModel {
  /** `worker-3` */
  name: string;
  pool: string;
  role: Role;
  index: number;
  /** `WORKER_3`: where its concrete values live, under vars.CLUSTER. */
  varsKey: string;
  hetznerName: string;
  serverType: string;
  location: string;
  image: string;
  network: string;
  subnet: string;
  privateIp: string;
  /** The Hetzner name of its spread placement group, if any. */
  placementGroup?: string;
  /** The Hetzner name of its own primary IPv4, if the pool keeps one. */
  primaryIpv4?: string;
  ipv6: boolean;
  /**
   * The k3s role only. Whether a server bootstraps a new cluster is not the model's to say: it
   * depends on whether a cluster exists yet, which only the hosts layer's state knows.
   */
  k3s: { role: 'server' | 'agent' };
  kubernetes: { labels: Record<string, string>; taints: string[] };
  volumes: NodeVolume[];
}

/** The Hetzner name of the placement group that node `index` of `pool` belongs to. */
export function placementGroupOf(cluster: string, pool: PoolConfig, index: number): string | undefined {
  if (!pool.placement.spread) return undefined;
  if (pool.placement.group) return hetznerName(cluster, pool.placement.group);
  // Groups of at most 10, filled in index order: node 11 starts group 2 and never moves node 1.
  return hetznerName(cluster, `${pool.name}-spread-${Math.ceil(index / LIMITS.serversPerSpreadGroup)}`);
}

/** The fields a node's model comes from. */
export type NodesConfig = Pick<ClusterConfig, 'name' | 'phase' | 'location' | 'networks' | 'pools'>;

export function nodesInPhase(config: NodesConfig, phase: Phase = config.phase as Phase): NodeModel[] {
  const subnets = new Map(
    config.networks.flatMap((n) =>
      n.subnets.map((s) => [s.name, { network: n.name, cidr: parseCidr(s.ipRange)! }] as const),
    ),
  );
  const controlPlanes = config.pools
    .filter((p) => p.role === 'control-plane')
    .reduce((sum, p) => sum + countInPhase(p.count, phase), 0);
  return config.pools.flatMap((pool) =>
    Array.from({ length: countInPhase(pool.count, phase) }, (_, i): NodeModel => {
      const index = i + 1;
      const name = poolNodeName(pool.name, index);
      const home = subnets.get(pool.subnet)!;
      const isServer = pool.role === 'control-plane' || controlPlanes === 0;
      return {
        name,
        pool: pool.name,
        role: pool.role,
        index,
        varsKey: varsKey(pool.name, index),
        hetznerName: hetznerName(config.name, name),
        serverType: pool.serverType,
        location: pool.location ?? config.location,
        image: pool.image,
        network: home.network,
        subnet: pool.subnet,
        privateIp: intToIp(home.cidr.base + (pool.hostOffset ?? defaultHostOffset(pool.role)) + i),
        placementGroup: placementGroupOf(config.name, pool, index),
        primaryIpv4: pool.primaryIpv4 ? hetznerName(config.name, `${name}-ipv4`) : undefined,
        ipv6: pool.ipv6,
        k3s: { role: isServer ? 'server' : 'agent' },
        kubernetes: { labels: { ...pool.labels, 'personal-cloud/pool': pool.name }, taints: pool.taints },
        volumes: pool.volumes
          .filter((v) => v.fromPhase <= phase)
          .map((v) => ({
            name: v.name,
            hetznerName: hetznerName(config.name, `${name}-${v.name}`),
            sizeGb: v.sizeGb,
            format: v.format,
            mountPath: v.mountPath ?? `/mnt/${v.name}`,
          })),
      };
    }),
  );
}
