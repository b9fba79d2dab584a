// The two worlds, one code path. With HCLOUD_TOKEN the API is Hetzner's (or HCLOUD_ENDPOINT);
// without it, the local sandbox: the one already serving .sandbox/, or one started in-process
// for this run. Only the endpoint differs; everything above this module is the same.
import {
  CloudError,
  readLayerConfig,
  type ConfigSource,
  type LayerConfig,
  type SliceLayer,
  type VarsDocument,
} from '@personal-cloud/cluster';
import { openVault, type Vault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { findRunningSandbox, sandboxOptionsFromEnv, startSandbox } from '@personal-cloud/sandbox';
import { resolveEndpoint, validateToken } from '../hcloud/endpoint';

export interface World {
  kind: 'sandbox' | 'hetzner';
  endpoint: string;
  token: string;
  /** Stops what this process started (the in-process sandbox); a no-op otherwise. */
  close(): Promise<void>;
}

/** The sandbox accepts any 64-character token; this one says what it is. */
export const SANDBOX_TOKEN = 'personal-cloud-local-sandbox'.padEnd(64, '0');

/** Checks HCLOUD_ENDPOINT and HCLOUD_TOKEN before anything else happens: a bad one is named first. */
export function checkWorldSettings(env: NodeJS.ProcessEnv = process.env): void {
  resolveEndpoint(env);
  if (worldKind(env) === 'hetzner') validateToken(env.HCLOUD_TOKEN);
}

/** Which world the environment selects, without any I/O. */
export function worldKind(env: NodeJS.ProcessEnv = process.env): World['kind'] {
  return env.HCLOUD_TOKEN?.trim() ? 'hetzner' : 'sandbox';
}

/** The vault as every layer opens it, the world's settings checked first: made on first use only in the sandbox. */
export async function openLayerVault(env: NodeJS.ProcessEnv = process.env): Promise<Vault> {
  checkWorldSettings(env);
  return openVault(vaultOptionsFromEnv(env, { sandbox: worldKind(env) === 'sandbox' }));
}

/**
 * What a layer's targets start from: the world's settings checked (a bad one is named before a
 * config error), the layer's slice of the config, the vault and its vars, read in memory.
 */
export async function openLayerInputs<L extends SliceLayer>(
  layer: L,
  from: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ config: LayerConfig<L>; vault: Vault; vars: VarsDocument }> {
  checkWorldSettings(env);
  const config = await readLayerConfig(layer, from, env);
  const vault = await openLayerVault(env);
  return { config, vault, vars: (await vault.read('vars')) as VarsDocument };
}

export async function openWorld(env: NodeJS.ProcessEnv = process.env): Promise<World> {
  const endpoint = resolveEndpoint(env);
  if (worldKind(env) === 'hetzner')
    return { kind: 'hetzner', endpoint: endpoint!, token: validateToken(env.HCLOUD_TOKEN), close: async () => {} };
  if (endpoint) return { kind: 'sandbox', endpoint, token: SANDBOX_TOKEN, close: async () => {} };

  let options: ReturnType<typeof sandboxOptionsFromEnv>;
  try {
    options = sandboxOptionsFromEnv(env);
  } catch (error) {
    throw new CloudError((error as Error).message);
  }
  const dir = options.dir!;
  const running = await findRunningSandbox(dir);
  if (running) return { kind: 'sandbox', endpoint: running, token: SANDBOX_TOKEN, close: async () => {} };
  try {
    const sandbox = await startSandbox({ ...options, port: 0 });
    return { kind: 'sandbox', endpoint: sandbox.url, token: SANDBOX_TOKEN, close: () => sandbox.stop() };
  } catch (error) {
    // Another process started one on the same directory a moment ago: use that one.
    const raced = await findRunningSandbox(dir);
    if (raced) return { kind: 'sandbox', endpoint: raced, token: SANDBOX_TOKEN, close: async () => {} };
    throw new CloudError(`the local sandbox could not start: ${(error as Error).message}`);
  }
}
