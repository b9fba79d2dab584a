// Reading cluster.config.ts is the only I/O of this library: everything after it is pure.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ClusterConfig } from './config-schema';
import { CloudError } from './errors';
import { parseClusterConfig } from './validate-config';

/** The config file: $CLOUD_CONFIG, else cluster.config.ts in the working directory (the workspace root under Nx). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CLOUD_CONFIG || 'cluster.config.ts');
}

export async function loadClusterConfig(file: string = configPath()): Promise<ClusterConfig> {
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new CloudError(`${shown} does not exist: create it with a default export of defineCluster({...}), or point CLOUD_CONFIG at one.`);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new CloudError(`${shown} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
  }
  if (module.default === undefined) throw new CloudError(`${shown} has no default export: end it with export default defineCluster({...}).`);
  return parseClusterConfig(module.default, shown);
}
