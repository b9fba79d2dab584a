// The build machines, in the shape of NixOS's nix.buildMachines (the hosts' JSON takes these
// fields) and as lines of Nix's `machines` file (what the operator's machine reads).
import type { LayerConfig, NodeModel } from '@personal-cloud/cluster';
import type { BuilderFacts } from './builder-facts';
import { BUILDER, builderAlias } from './builder-settings';

export interface BuildMachine {
  hostName: string;
  protocol: 'ssh-ng';
  systems: string[];
  sshUser: string;
  /** A file outside the store, delivered by the key step. */
  sshKey: string;
  maxJobs: number;
  speedFactor: number;
  supportedFeatures: string[];
  mandatoryFeatures: string[];
  /** base64 of `ssh-ed25519 AAAA…`, so the host key is pinned; null where the host's own known_hosts decides. */
  publicHostKey: string | null;
}

/**
 * Oxygen first; with builder.clusterFallback, the cluster's workers too, for light builds: speed
 * factor 1, one job each, without big-parallel, reached by their tailnet names.
 */
export function buildMachines(
  oxygen: NonNullable<LayerConfig<'builder'>['oxygen']>,
  nodes: readonly NodeModel[],
  facts: BuilderFacts,
  sshKey: string,
): BuildMachine[] {
  const { builder } = oxygen;
  const machines: BuildMachine[] = [
    {
      hostName: builderAlias(oxygen.hostname),
      protocol: 'ssh-ng',
      systems: builder.systems,
      sshUser: BUILDER.user,
      sshKey,
      maxJobs: builder.maxJobs,
      speedFactor: builder.speedFactor,
      supportedFeatures: builder.features,
      mandatoryFeatures: [],
      publicHostKey: Buffer.from(facts.hostPublicKey).toString('base64'),
    },
  ];
  if (!builder.clusterFallback) return machines;
  for (const node of nodes.filter((n) => n.role === 'worker'))
    machines.push({
      hostName: node.hetznerName,
      protocol: 'ssh-ng',
      systems: [node.serverType.startsWith('cax') ? 'aarch64-linux' : 'x86_64-linux'],
      sshUser: BUILDER.user,
      sshKey,
      maxJobs: 1,
      speedFactor: 1,
      supportedFeatures: builder.features.filter((f) => f !== 'big-parallel'),
      mandatoryFeatures: [],
      publicHostKey: null,
    });
  return machines;
}

/** One line of Nix's machines file: URI, systems, key, jobs, speed, features, mandatory features, host key. */
export function machinesLine(machine: BuildMachine): string {
  const list = (items: string[]) => (items.length ? items.join(',') : '-');
  return [
    `${machine.protocol}://${machine.sshUser}@${machine.hostName}`,
    machine.systems.join(','),
    machine.sshKey,
    String(machine.maxJobs),
    String(machine.speedFactor),
    list(machine.supportedFeatures),
    list(machine.mandatoryFeatures),
    machine.publicHostKey ?? '-',
  ].join(' ');
}
