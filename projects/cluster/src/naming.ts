// Every name the cloud uses, derived in one place so the infra, hosts and apps layers agree.
import type { Role } from './config-schema';

/** `worker` + 3 → `worker-3`: stable for the node's whole life, whatever else is added. */
export function poolNodeName(pool: string, index: number): string {
  return `${pool}-${index}`;
}

/** `worker` + 3 → `WORKER_3`: the node's key under vars.CLUSTER, as in the seed. */
export function varsKey(pool: string, index: number): string {
  return `${pool.toUpperCase().replace(/-/g, '_')}_${index}`;
}

/** Hetzner names are unique per project, so every resource carries the cluster's name. */
export function hetznerName(cluster: string, name: string): string {
  return `${cluster}-${name}`;
}

/** Where a pool's node addresses start within its subnet, unless the pool says otherwise. */
export function defaultHostOffset(role: Role): number {
  return { 'control-plane': 10, worker: 20, builder: 100, gpu: 200 }[role];
}

/** The labels that make a Hetzner resource ours: a rerun adopts by them, destroy sweeps by them. */
export const MANAGED_BY = 'personal-cloud';

export function ownershipLabels(cluster: string, role: string, name: string): Record<string, string> {
  return { 'managed-by': MANAGED_BY, cluster, role, name };
}

/** The selector that finds every resource of one cluster. */
export function clusterSelector(cluster: string): string {
  return `managed-by=${MANAGED_BY},cluster=${cluster}`;
}
