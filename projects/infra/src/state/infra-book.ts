// The infra layer's bookkeeping: turns "this resource exists now" into state and vars entries.
import type { DesiredResource, NodeModel, ResourceType } from '@personal-cloud/cluster';
import { observedKey, type Observed, type ObservedServer } from '../reconcile/observed';
import {
  readInfraState,
  specHash,
  withInfraState,
  withoutServerVars,
  withServerVars,
  withVolumeVars,
  type InfraState,
  type ServerFacts,
} from './infra-state';
import type { Recorded, StateRecorder } from '@personal-cloud/layer-kit';

/** How commit messages count each resource type; the plural adds an `s`. */
const KIND_NOUNS: Record<ResourceType, string> = {
  ssh_key: 'SSH key',
  network: 'network',
  firewall: 'firewall',
  placement_group: 'placement group',
  primary_ip: 'primary IP',
  volume: 'volume',
  server: 'server',
};

export class InfraBook {
  private readonly desired: Map<string, DesiredResource>;
  private readonly nodes: Map<string, NodeModel>;

  constructor(
    private readonly recorder: StateRecorder,
    desired: DesiredResource[],
    nodes: NodeModel[],
  ) {
    this.desired = new Map(desired.map((d) => [observedKey(d), d]));
    this.nodes = new Map(nodes.map((n) => [n.hetznerName, n]));
  }

  settled(type: ResourceType, name: string, facts: ServerFacts): void {
    const key = observedKey({ type, name });
    const desired = this.desired.get(key);
    this.recorder.record({ layer: 'infra', kind: KIND_NOUNS[type], verb: 'recorded' }, (current) => {
      const infra = readInfraState(current.state);
      const next: InfraState = {
        resources: { ...infra.resources, [key]: { id: facts.id, specHash: desired ? specHash(desired) : '' } },
      };
      const node = type === 'server' ? this.nodes.get(name) : undefined;
      const volume = type === 'volume' ? this.volumeOwner(name) : undefined;
      const vars = node
        ? withServerVars(current.vars, node, facts)
        : volume
          ? withVolumeVars(current.vars, volume.node, volume.name, facts.id)
          : current.vars;
      return { state: withInfraState(current.state, next), vars };
    });
  }

  /** The node whose volume has this Hetzner name, and the volume's own name. */
  private volumeOwner(hetznerName: string): { node: NodeModel; name: string } | undefined {
    for (const node of this.nodes.values()) {
      const volume = node.volumes.find((v) => v.hetznerName === hetznerName);
      if (volume) return { node, name: volume.name };
    }
    return undefined;
  }

  removed(type: ResourceType, name: string): void {
    const key = observedKey({ type, name });
    this.recorder.record({ layer: 'infra', kind: KIND_NOUNS[type], verb: 'deleted' }, (current) => {
      const { [key]: _gone, ...resources } = readInfraState(current.state).resources;
      const node = type === 'server' ? this.nodes.get(name) : undefined;
      const volume = type === 'volume' ? this.volumeOwner(name) : undefined;
      const vars = node
        ? withoutServerVars(current.vars, node.varsKey)
        : volume
          ? withVolumeVars(current.vars, volume.node, volume.name, undefined)
          : current.vars;
      return { state: withInfraState(current.state, { resources }), vars };
    });
  }

  /**
   * Makes state and vars say exactly what exists, after a run converged: adopted resources are
   * added, vanished ones dropped. When they already agree, nothing is written at all.
   */
  syncWith(observed: Observed[]): void {
    this.recorder.record({ layer: 'infra', verb: 'state matches the cloud' }, (current) =>
      syncRecorded(current, observed, this.desired, [...this.nodes.values()]),
    );
  }
}

export function syncRecorded(
  current: Recorded,
  observed: Observed[],
  desired: Map<string, DesiredResource>,
  nodes: NodeModel[],
): Recorded {
  const before = readInfraState(current.state).resources;
  const resources: InfraState['resources'] = {};
  for (const o of observed) {
    const key = observedKey(o);
    const d = desired.get(key);
    resources[key] = { id: o.id, specHash: d ? specHash(d) : (before[key]?.specHash ?? '') };
  }
  let vars = current.vars;
  const servers = new Map(observed.filter((o): o is ObservedServer => o.type === 'server').map((s) => [s.name, s]));
  const volumes = new Map(observed.filter((o) => o.type === 'volume').map((v) => [v.name, v.id]));
  for (const node of nodes) {
    const server = servers.get(node.hetznerName);
    if (!server) {
      vars = withoutServerVars(vars, node.varsKey);
      continue;
    }
    const [privateNet] = server.networks;
    vars = withServerVars(vars, node, {
      id: server.id,
      privateIp: privateNet?.ip,
      privateMac: privateNet?.mac,
      publicIpv4: server.publicIpv4,
      publicIpv6: server.publicIpv6,
    });
    for (const volume of node.volumes) vars = withVolumeVars(vars, node, volume.name, volumes.get(volume.hetznerName));
  }
  return { state: withInfraState(current.state, { resources }), vars };
}
