// The cluster model and the vault's vars → hosts.json. Pure: everything it needs comes in.
import {
  intToIp,
  parseCidr,
  resolveSecrets,
  type LayerConfig,
  type NodeModel,
  type VarsDocument,
} from '@personal-cloud/cluster';
import type { HostNix } from '@personal-cloud/builder';
import type { HostsState } from '../state/hosts-state';
import { clusterJoin, type NodeJoin } from './cluster-join';
import { extraFilesFor, SECRET_FILES } from './extra-files';
import { hostFirewall } from './host-firewall';
import { HOSTS_DOCUMENT_VERSION, type HostNode, type HostsDocument } from './hosts-document';
import { ETCD_SNAPSHOTS, K3S_CLUSTER_FLAGS, K3S_VERSION, PRIVATE_INTERFACE } from './k3s-settings';
import { readNodeVars, type NodeVars } from './node-vars';

/**
 * Hetzner's root disk, by a link that never changes: an attached volume can take /dev/sda, but
 * the root disk is always QEMU's first SCSI drive.
 */
export const ROOT_DISK = '/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi0-0-0-0';

export interface RenderHostsInput {
  config: LayerConfig<'hosts'>;
  /** The nodes of the configured phase (nodesInPhase). */
  nodes: NodeModel[];
  vars: VarsDocument;
  hostsState: Pick<HostsState, 'k3sServers'>;
  /** The builder layer's fields for every host (its render writes them; see hosts-inputs.ts). */
  nix: HostNix;
}

export function renderHosts({ config, nodes, vars, hostsState, nix }: RenderHostsInput): HostsDocument {
  const { sshPublicKey } = resolveSecrets(config, vars);
  const { facts, missing } = readNodeVars(nodes, vars);
  // Joins are decided over every node of the phase, rendered or not, so they never shift.
  const join = clusterJoin(nodes, hostsState.k3sServers, config.phase);
  const rendered = nodes.filter((node) => facts.has(node.name));
  return {
    version: HOSTS_DOCUMENT_VERSION,
    cluster: config.name,
    phase: config.phase,
    k3s: { version: K3S_VERSION, bootstrapNode: join.bootstrapNode },
    nodes: Object.fromEntries(
      rendered.map((node) => [
        node.name,
        hostNode(config, node, facts.get(node.name)!, join.nodes.get(node.name)!, sshPublicKey, nix),
      ]),
    ),
    pending: [...missing].map(([node, missingVars]) => ({ node, missingVars })),
  };
}

function hostNode(
  config: LayerConfig<'hosts'>,
  node: NodeModel,
  facts: NodeVars,
  join: NodeJoin,
  operatorKey: string,
  nix: HostNix,
): HostNode {
  const isServer = node.k3s.role === 'server';
  const network = config.networks.find((n) => n.name === node.network)!;
  const networkCidr = parseCidr(network.ipRange)!;
  // The tailnet name is stable (the cluster's own name for the node), so tls-san stays true.
  const tailscaleName = node.hetznerName;
  const cold = config.storage.cold;
  const s3 = isServer && config.phase >= cold.fromPhase;
  return {
    name: node.name,
    pool: node.pool,
    role: node.role,
    hostName: node.hetznerName,
    system: node.serverType.startsWith('cax') ? 'aarch64-linux' : 'x86_64-linux',
    hetznerId: facts.hetznerId,
    addresses: { privateIpv4: node.privateIp, publicIpv4: facts.publicIpv4, publicIpv6: facts.publicIpv6 },
    interfaces: {
      // Hetzner routes a private network through its first address.
      private: {
        mac: facts.privateMac,
        name: PRIVATE_INTERFACE,
        network: network.ipRange,
        gateway: intToIp(networkCidr.base + 1),
      },
    },
    disks: {
      root: ROOT_DISK,
      volumes: node.volumes.map((v) => ({
        name: v.name,
        hetznerId: facts.volumeIds[v.name]!,
        mountPath: v.mountPath,
        format: v.format,
        tier: 'warm' as const,
      })),
    },
    storage: { hotPath: config.storage.hot.path },
    k3s: {
      role: node.k3s.role,
      bootstrap: join.bootstrap,
      serverAddr: join.serverAddr,
      version: K3S_VERSION,
      nodeIp: node.privateIp,
      flannelIface: PRIVATE_INTERFACE,
      tlsSans: isServer ? [node.privateIp, ...(config.tailscale.enabled ? [tailscaleName] : [])] : [],
      labels: node.kubernetes.labels,
      taints: node.kubernetes.taints,
      clusterFlags: [...K3S_CLUSTER_FLAGS],
      tokenFile: SECRET_FILES.k3sToken,
      etcdSnapshots: isServer
        ? {
            ...ETCD_SNAPSHOTS,
            s3: s3
              ? {
                  endpoint: new URL(cold.endpoint).host,
                  region: cold.region,
                  bucket: cold.buckets.backups,
                  folder: `etcd/${config.name}`,
                  credentialsFile: SECRET_FILES.etcdS3Credentials,
                }
              : null,
          }
        : null,
    },
    tailscale: {
      enable: config.tailscale.enabled,
      hostname: tailscaleName,
      tags: config.tailscale.tags,
      authKeyFile: config.tailscale.enabled ? SECRET_FILES.tailscaleAuthKey : null,
      // Every server routes the private network for the tailnet: Oxygen (an agent on its Tailscale
      // address) reaches the nodes' private IPs through whichever of them answers (Tailscale fails
      // over between routers of one route).
      advertiseRoutes: config.tailscale.enabled && isServer ? [network.ipRange] : [],
    },
    firewall: hostFirewall(config, node),
    nix,
    access: { operatorKeys: [operatorKey], hostKeyFile: SECRET_FILES.hostKey },
    extraFiles: extraFilesFor({
      tailscale: config.tailscale.enabled,
      etcdS3: s3,
      builderClientKey: nix.builders.length > 0,
    }),
  };
}
