// What the k8s-apps targets start from: its slice of the validated config and, for check, the vault's tokens
// (read the way infra reads the vault: same options, same world rule). Config errors surface here.
import { readLayerConfig, type ConfigSource, type LayerConfig, type VarsDocument } from '@personal-cloud/cluster';
import { openLayerVault } from '@personal-cloud/infra';

/** Where render writes the GitOps tree: the root of what the GitOps repository holds. */
export const RENDER_DIR = 'dist/k8s-apps/render';

/** The layer's slice of the config: from its slice file (render, check) or the config file (see ConfigSource). */
export async function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  from: ConfigSource = 'config file',
): Promise<LayerConfig<'k8s-apps'>> {
  return readLayerConfig('k8s-apps', from, env);
}

export async function readTokens(env: NodeJS.ProcessEnv = process.env): Promise<Record<string, string>> {
  return (await openLayerVault(env)).read('tokens');
}

export async function readVars(env: NodeJS.ProcessEnv = process.env): Promise<VarsDocument> {
  return (await (await openLayerVault(env)).read('vars')) as VarsDocument;
}
