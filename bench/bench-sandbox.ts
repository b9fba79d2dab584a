// The sandbox a bench runs against, in-process on the real clock: no server limit and no rate
// limit (the benches count requests themselves), and the environment a target would see for it,
// with the vault in `dir`.
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '@personal-cloud/sandbox';

export interface BenchSandboxOptions {
  /** Where the sandbox keeps its world; null keeps it in memory. */
  worldDir: string | null;
  actionMs: number;
  /** Machine step durations, SANDBOX_MACHINE_MS syntax. */
  machineMs?: string;
}

export async function startBenchSandbox(
  dir: string,
  configFile: string,
  options: BenchSandboxOptions,
): Promise<{ sandbox: RunningSandbox; env: NodeJS.ProcessEnv }> {
  const sandbox = await startSandbox({
    port: 0,
    dir: options.worldDir,
    actionMs: options.actionMs,
    machineMs: options.machineMs,
    faults: '',
    serverLimit: Infinity,
    rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
  });
  const env = {
    ...process.env,
    HCLOUD_TOKEN: '',
    CLOUD_CONFIG: configFile,
    CLOUD_SECRETS_DIR: join(dir, 'secrets'),
    CLOUD_AGE_IDENTITY: join(dir, 'identity.txt'),
    HCLOUD_ENDPOINT: sandbox.url,
  };
  return { sandbox, env };
}
