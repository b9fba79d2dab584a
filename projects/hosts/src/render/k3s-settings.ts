// The k3s settings that are the same for the whole cluster, in one place. The config schema has
// no hosts section yet; when it gains one (k3s version, snapshot schedule), these become its
// defaults.

/**
 * The pinned k3s minor. The NixOS modules take the package `k3s_<major>_<minor>` from the pinned
 * nixpkgs; an upgrade moves one minor at a time, servers first.
 */
export const K3S_VERSION = '1.34';

/**
 * Flags k3s requires to be equal on every server ("critical configuration values" in the k3s
 * server docs). They are spelled out, even where they are k3s's defaults, so that no server can
 * ever start with a different value.
 */
export const K3S_CLUSTER_FLAGS = [
  '--cluster-cidr=10.42.0.0/16',
  '--service-cidr=10.43.0.0/16',
  '--cluster-dns=10.43.0.10',
  '--cluster-domain=cluster.local',
  '--flannel-backend=vxlan',
  '--secrets-encryption',
] as const;

/** etcd snapshots on every server: every 6 hours, 28 kept (a week). */
export const ETCD_SNAPSHOTS = { schedule: '0 */6 * * *', retention: 28 } as const;

/** The name the private interface gets (matched by its MAC): k3s's flannel and the firewall use it. */
export const PRIVATE_INTERFACE = 'private0';

/** Ports k3s nodes need between them on the private network (k3s docs, "Inbound rules for k3s nodes"). */
export const K3S_PEER_PORTS = {
  server: { tcp: [6443, 10250], tcpRanges: [{ from: 2379, to: 2380 }], udp: [8472] },
  agent: { tcp: [10250], tcpRanges: [], udp: [8472] },
} as const;
