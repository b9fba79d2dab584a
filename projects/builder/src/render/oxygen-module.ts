// The data of Oxygen's NixOS module (projects/builder/nix/modules): the personalCloud.oxygen
// option tree, which the module types again and turns into the builder container
// (virtualisation.oci-containers, Podman), the k3s agent and Tailscale. No Nix text comes from here.
import type { LayerConfig } from '@personal-cloud/cluster';
import { BUILDER, OXYGEN_K3S, PUSH } from './builder-settings';
import { containerMounts, HEALTH_CMD } from './container-files';
import type { K3sAgentConfig } from './k3s-agent';
import { pushExecArgs } from './systemd-units';

export interface OxygenModuleData {
  hostname: string;
  builder: {
    container: string;
    image: string;
    imageDir: string;
    cpus: number;
    memoryGb: number;
    nixVolume: string;
    /** Read-only mounts, as the plain-file unit has them. */
    mounts: { from: string; to: string }[];
    healthCmd: string;
    /** The push loop's unit (without .service) and the arguments of its `podman exec`. */
    push: { unit: string; execArgs: string[] };
  } | null;
  agent: {
    role: 'agent';
    serverAddr: string;
    tokenFile: string;
    nodeIp: string;
    flannelIface: string;
    labels: Record<string, string>;
    taints: string[];
  } | null;
}

export function oxygenModuleData(
  oxygen: NonNullable<LayerConfig<'builder'>['oxygen']>,
  agent: K3sAgentConfig | null,
  /** The attic cache's name (and its server's name in attic's config): the cluster's. */
  cache: string,
): OxygenModuleData {
  return {
    hostname: oxygen.hostname,
    builder: oxygen.roles.includes('builder')
      ? {
          container: BUILDER.container,
          image: BUILDER.image,
          imageDir: `${BUILDER.configDir}/image`,
          cpus: oxygen.builder.cpus,
          memoryGb: oxygen.builder.memoryGb,
          nixVolume: BUILDER.nixVolume,
          mounts: containerMounts().map(([from, to]) => ({ from, to })),
          healthCmd: HEALTH_CMD,
          push: { unit: PUSH.unit.replace(/\.service$/, ''), execArgs: pushExecArgs(cache) },
        }
      : null,
    agent: agent
      ? {
          role: 'agent',
          serverAddr: agent.server,
          tokenFile: OXYGEN_K3S.tokenFile,
          nodeIp: agent['node-ip'],
          flannelIface: agent['flannel-iface'],
          labels: oxygen.labels,
          taints: oxygen.taints,
        }
      : null,
  };
}
