// What the hosts targets start from: their slice of the validated config, the nodes of its phase,
// the builder's fields for every host's Nix, and the vault's vars and state, read (never written)
// in memory.
import {
  lookupVar,
  nodesInPhase,
  readLayerConfig,
  type ConfigSource,
  type LayerConfig,
  type NodeModel,
  type VarsDocument,
} from '@personal-cloud/cluster';
import { hostNix, readHostNix, type HostNix } from '@personal-cloud/builder';
import { openLayerInputs } from '@personal-cloud/infra';
import type { Vault } from '@personal-cloud/vault';
import { onCurrentServers, readHostsState, type HostsState } from './state/hosts-state';

export interface HostsInputs {
  config: LayerConfig<'hosts'>;
  nodes: NodeModel[];
  vault: Vault;
  vars: VarsDocument;
  hostsState: HostsState;
  nix: HostNix;
}

/**
 * From the slices (render, check, plan), the builder's fields are what builder:render wrote, so
 * the hosts' key covers the cache's URL and not the apps it comes from; from the config file
 * (provision, tests) they are computed here the same way, from the builder's slice.
 */
export async function loadHostsInputs(
  env: NodeJS.ProcessEnv = process.env,
  from: ConfigSource = 'config file',
): Promise<HostsInputs> {
  const { config, vault, vars } = await openLayerInputs('hosts', from, env);
  const state = await vault.read('state');
  const nodes = nodesInPhase(config);
  const serverIdOf = (name: string) => {
    const node = nodes.find((n) => n.name === name);
    const id = node ? lookupVar(vars, `CLUSTER.${node.varsKey}.hetzner_id`) : undefined;
    return id === undefined ? undefined : Number(id);
  };
  return {
    config,
    nodes,
    vault,
    vars,
    hostsState: onCurrentServers(readHostsState(state), serverIdOf),
    nix: from === 'slice' ? await readHostNix() : hostNix(await readLayerConfig('builder', from, env), nodes, vars),
  };
}
