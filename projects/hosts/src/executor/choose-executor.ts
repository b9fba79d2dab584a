// The executor follows the endpoint, not the token: an API endpoint that is a sandbox (it answers
// GET /__sandbox/stats) gets the sandbox's machine model, even with HCLOUD_TOKEN set, so a token
// pointed at a sandbox never SSHes to its made-up addresses. Any other endpoint gets SSH.
import type { MachineExecutor } from './machine-executor';
import { SandboxExecutor, type SandboxExecutorOptions } from './sandbox-executor';
import { SshExecutor, type SshExecutorOptions } from './ssh-executor';

/** The sandbox origin behind an API endpoint (`…/v1`), or null when the endpoint is not a sandbox. */
export async function sandboxOrigin(endpoint: string, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  const origin = new URL(endpoint).origin;
  try {
    const response = await fetchImpl(`${origin}/__sandbox/stats`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return null;
    const body = (await response.json()) as { requests?: unknown };
    return body && typeof body.requests === 'object' ? origin : null;
  } catch {
    return null;
  }
}

export interface ChooseExecutorOptions {
  endpoint: string;
  ssh: () => SshExecutorOptions;
  clock?: Pick<SandboxExecutorOptions, 'now' | 'sleep'>;
  fetchImpl?: typeof fetch;
}

export async function chooseExecutor(options: ChooseExecutorOptions): Promise<MachineExecutor> {
  const origin = await sandboxOrigin(options.endpoint, options.fetchImpl);
  if (origin) return new SandboxExecutor({ origin, ...options.clock });
  return new SshExecutor(options.ssh());
}
