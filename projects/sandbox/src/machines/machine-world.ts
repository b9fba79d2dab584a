// The machine model's state: what runs on each machine the sandbox pretends to host, and the
// cluster's etcd membership. Plain, serialisable data, persisted as `<dir>/machines.json` beside
// the API's world.json. Power is not kept here for Hetzner servers: it is read from the API's
// world, so powering a server off through the API is what makes it stop answering.

export const MACHINE_WORLD_FORMAT = 1;

export interface MachineRecord {
  /** The node's name in the cluster, e.g. `master-1`, `oxygen`. */
  name: string;
  /** The Hetzner server it runs on; null for a machine outside Hetzner (Oxygen), whose power is `power`. */
  serverId: number | null;
  /** Power of a machine outside Hetzner; ignored for Hetzner servers. */
  power: 'on' | 'off';
  /** The address other nodes reach it at (k3s's node IP), by which `serverAddr` names it. */
  address: string;
  /** The deployed operating system; null until installed. */
  os: { generation: string; deployedAt: number } | null;
  /** k3s on it; null when not installed or its server data was cleared. */
  k3s: {
    role: 'server' | 'agent';
    version: string;
    /** When the node reports Ready (after the step that started it ends). */
    readyAt: number;
    /** The `not_ready` fault: the node never reports Ready until its next deploy. */
    stuck: boolean;
    /** Cordoned and drained: workloads moved away. */
    drained: boolean;
  } | null;
  /** The step running on it and when it ends; a machine runs one step at a time. */
  busy: { step: string; until: number } | null;
}

export interface EtcdMember {
  name: string;
  /** When the member is healthy (the `slow_member` fault puts this later). */
  healthyAt: number;
}

export interface MachineWorld {
  format: typeof MACHINE_WORLD_FORMAT;
  machines: Record<string, MachineRecord>;
  /** The cluster's etcd member list, oldest first; empty until a server bootstraps. */
  etcdMembers: EtcdMember[];
  /**
   * Room for the layers after hosts, by owner: k8s-apps keeps the cluster's API side (Secrets,
   * Kustomizations, Flux) under `extensions['k8s-apps']`, the builder its podman containers.
   */
  extensions: Record<string, unknown>;
}

export function emptyMachineWorld(): MachineWorld {
  return { format: MACHINE_WORLD_FORMAT, machines: {}, etcdMembers: [], extensions: {} };
}
