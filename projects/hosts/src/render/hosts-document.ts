// hosts.json: the data the NixOS modules read (builtins.fromJSON), one entry per node. A node's
// entry is exactly the personalCloud.node option tree of projects/hosts/nix/modules/node-options.nix,
// which types every value again; change both together, and HOSTS_DOCUMENT_VERSION with them.
import type { HostNix } from '@personal-cloud/builder';
import type { Role } from '@personal-cloud/cluster';
import type { HostFirewall } from './host-firewall';

export const HOSTS_DOCUMENT_VERSION = 2;

export interface HostsDocument {
  version: typeof HOSTS_DOCUMENT_VERSION;
  cluster: string;
  phase: number;
  k3s: {
    version: string;
    /** The node that starts a new cluster, or null when hosts' state says one exists. */
    bootstrapNode: string | null;
  };
  nodes: Record<string, HostNode>;
  /**
   * Nodes of the phase that cannot be rendered yet, because infra has not created their server
   * or volumes (their vars are missing). Render still succeeds, since it may run before
   * infra:provision in one Nx run; check fails while any node is pending.
   */
  pending: { node: string; missingVars: string[] }[];
}

export interface HostNode {
  name: string;
  pool: string;
  role: Role;
  hostName: string;
  system: 'x86_64-linux' | 'aarch64-linux';
  hetznerId: number;
  addresses: { privateIpv4: string; publicIpv4: string | null; publicIpv6: string | null };
  interfaces: { private: { mac: string; name: string; network: string; gateway: string } };
  disks: {
    root: string;
    volumes: { name: string; hetznerId: number; mountPath: string; format: 'ext4' | 'xfs'; tier: 'hot' | 'warm' }[];
  };
  storage: { hotPath: string };
  k3s: {
    role: 'server' | 'agent';
    bootstrap: boolean;
    serverAddr: string | null;
    version: string;
    nodeIp: string;
    flannelIface: string;
    tlsSans: string[];
    labels: Record<string, string>;
    taints: string[];
    clusterFlags: string[];
    tokenFile: string;
    etcdSnapshots: {
      schedule: string;
      retention: number;
      s3: { endpoint: string; region: string; bucket: string; folder: string; credentialsFile: string } | null;
    } | null;
  };
  tailscale: {
    enable: boolean;
    hostname: string;
    tags: string[];
    authKeyFile: string | null;
    /** The private network's range on servers: the subnet route Oxygen reaches the Hetzner nodes through. */
    advertiseRoutes: string[];
  };
  firewall: HostFirewall;
  /** The cache, the build machines and fallback: the builder layer's fields (its hostNix). */
  nix: HostNix;
  access: { operatorKeys: string[]; hostKeyFile: string };
  /** Files nixos-anywhere delivers, relative to /: names only, never contents. */
  extraFiles: string[];
}
