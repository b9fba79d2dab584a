// What the hosts targets start from: the validated config, the nodes of its phase, and the
// vault's vars and state, read (never written) in memory.
import {
  configPath,
  loadClusterConfig,
  lookupVar,
  nodesInPhase,
  type ClusterConfig,
  type NodeModel,
  type VarsDocument,
} from '@personal-cloud/cluster';
import { checkWorldSettings, openLayerVault } from '@personal-cloud/infra';
import type { Vault } from '@personal-cloud/vault';
import { onCurrentServers, readHostsState, type HostsState } from './state/hosts-state';

export interface HostsInputs {
  config: ClusterConfig;
  nodes: NodeModel[];
  vault: Vault;
  vars: VarsDocument;
  hostsState: HostsState;
}

export async function loadHostsInputs(env: NodeJS.ProcessEnv = process.env): Promise<HostsInputs> {
  checkWorldSettings(env);
  const config = await loadClusterConfig(configPath(env));
  const vault = await openLayerVault(env);
  const [vars, state] = await Promise.all([vault.read('vars'), vault.read('state')]);
  const nodes = nodesInPhase(config);
  const serverIdOf = (name: string) => {
    const node = nodes.find((n) => n.name === name);
    const id = node ? lookupVar(vars as VarsDocument, `CLUSTER.${node.varsKey}.hetzner_id`) : undefined;
    return id === undefined ? undefined : Number(id);
  };
  return {
    config,
    nodes,
    vault,
    vars: vars as VarsDocument,
    hostsState: onCurrentServers(readHostsState(state), serverIdOf),
  };
}
