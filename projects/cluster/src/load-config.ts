// Reading cluster.config.ts is the only I/O of this library: everything after it is pure.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { ClusterConfig } from './config-schema';
import { CloudError } from './errors';
import { bundledLibrary } from './run-from-bundle';
import { parseClusterConfig } from './validate-config';

/** The config file: $CLOUD_CONFIG, else cluster.config.ts in the working directory (the workspace root under Nx). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CLOUD_CONFIG || 'cluster.config.ts');
}

/** Where the hooks report each file of a config graph they load; undefined until they are registered. */
let reports: MessagePort | undefined;
/** The files the configs loaded in this process read: each config file and the local modules it imports. */
const filesRead = new Set<string>();

/**
 * Lets a config anywhere on disk import this library and get this very instance (see
 * config-loader-hooks.mjs): the bundle's entry when the target runs from one, else the source.
 */
function registerConfigHooks(): void {
  if (reports) return;
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  reports = port1;
  register(new URL('./config-loader-hooks.mjs', import.meta.url), {
    data: {
      library: bundledLibrary ?? new URL('./index.ts', import.meta.url).href,
      loader: import.meta.url,
      port: port2,
    },
    transferList: [port2],
  });
}

/**
 * Every file the configs loaded so far in this process read (the config files and the local
 * modules they import, as absolute paths): what cluster:render records beside the slices it
 * writes (slice-sources.ts). The hooks post each one before its import settles, so they are all
 * queued on the port by the time loadClusterConfig returns.
 */
export function configFilesRead(): string[] {
  for (let message = reports && receiveMessageOnPort(reports); message; message = receiveMessageOnPort(reports!))
    filesRead.add(fileURLToPath(message.message as string));
  return [...filesRead].sort();
}

/** Where a syntax error is, from the transform's error: its `loc`, or the "file:line:column: ERROR:" line esbuild writes. */
function syntaxErrorAt(error: Error): { line: number; column: number; text: string } | undefined {
  const loc = (error as { loc?: { line?: number; column?: number } }).loc;
  const match = error.message.match(/:(\d+):(\d+): ERROR: (.*)/);
  if (match) return { line: Number(match[1]), column: Number(match[2]), text: match[3]! };
  if (loc?.line !== undefined) return { line: loc.line, column: loc.column ?? 0, text: error.message.split('\n')[0]! };
  return undefined;
}

export async function loadClusterConfig(file: string = configPath()): Promise<ClusterConfig> {
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file))
    throw new CloudError(
      `${shown} does not exist: create it with a default export of defineCluster({...}), or point CLOUD_CONFIG at one.`,
    );
  registerConfigHooks();
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const at = syntaxErrorAt(error as Error);
    if (at) throw new CloudError(`${shown}:${at.line}:${at.column} is not valid TypeScript: ${at.text}.`);
    throw new CloudError(`${shown} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
  }
  if (module.default === undefined)
    throw new CloudError(`${shown} has no default export: end it with export default defineCluster({...}).`);
  return parseClusterConfig(module.default, shown);
}
