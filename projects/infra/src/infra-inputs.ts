// What every infra target starts from: its slice of the validated config, the vault, and the desired
// resources with their concrete values resolved in memory. Config errors surface here, before
// any API call.
import {
  desiredResources,
  nodesInPhase,
  PHASES,
  readLayerConfig,
  resolveSecrets,
  type ConfigSource,
  type LayerConfig,
  type DesiredResource,
  type NodeModel,
  type VarsDocument,
} from '@personal-cloud/cluster';
import type { Vault } from '@personal-cloud/vault';
import { ensureSandboxVars } from './world/sandbox-vars';
import { checkWorldSettings, openLayerVault, worldKind } from './world/world';

export interface InfraInputs {
  config: LayerConfig<'infra'>;
  vault: Vault;
  desired: DesiredResource[];
  /** Every node of every phase, so a server left over from another phase still maps to its vars. */
  nodes: NodeModel[];
}

/** The config and the vault, without resolving anything: enough for destroy and drift's bookkeeping. */
export async function openConfigAndVault(
  env: NodeJS.ProcessEnv = process.env,
  from: ConfigSource = 'config file',
): Promise<{ config: LayerConfig<'infra'>; vault: Vault; nodes: NodeModel[] }> {
  checkWorldSettings(env);
  const config = await readLayerConfig('infra', from, env);
  const vault = await openLayerVault(env);
  const nodes = new Map<string, NodeModel>();
  for (const phase of PHASES) for (const node of nodesInPhase(config, phase)) nodes.set(node.hetznerName, node);
  for (const node of nodesInPhase(config)) nodes.set(node.hetznerName, node);
  return { config, vault, nodes: [...nodes.values()] };
}

export async function loadInfraInputs(
  env: NodeJS.ProcessEnv = process.env,
  from: ConfigSource = 'config file',
): Promise<InfraInputs> {
  const { config, vault, nodes } = await openConfigAndVault(env, from);
  const vars =
    worldKind(env) === 'sandbox' ? await ensureSandboxVars(vault) : ((await vault.read('vars')) as VarsDocument);
  const secrets = resolveSecrets(config, vars);
  return { config, vault, nodes, desired: desiredResources(config, secrets) };
}
