// The executor follows the endpoint, not the token: an API endpoint that is a sandbox (it answers
// GET /__sandbox/stats) gets the sandbox's machine model, even with HCLOUD_TOKEN set, so a token
// pointed at a sandbox never SSHes to its made-up addresses. Any other endpoint gets SSH.
import { sandboxOrigin } from '@personal-cloud/sandbox';
export { sandboxOrigin };
import type { MachineExecutor } from './machine-executor';
import { SandboxExecutor, type SandboxExecutorOptions } from './sandbox-executor';
import { SshExecutor, type SshExecutorOptions } from './ssh-executor';

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
