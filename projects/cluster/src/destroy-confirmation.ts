// How an operator confirms a destroy, once for the whole run: `--yes`, or CLOUD_CONFIRM_DESTROY
// naming the cluster (what CI sets, and what the Nx plugin's pre-task hook sets after asking once,
// so that every layer's destroy in one `nx run-many -t destroy` shares that one answer).
import { createInterface } from 'node:readline/promises';
import { CloudError } from './errors';

export const CONFIRM_DESTROY_ENV = 'CLOUD_CONFIRM_DESTROY';

/** Confirmed by `--yes`, or by the environment naming this very cluster (a stale value for another one is not enough). */
export function destroyConfirmed(cluster: string, yes: unknown, env: NodeJS.ProcessEnv): boolean {
  return yes === true || env[CONFIRM_DESTROY_ENV]?.trim() === cluster;
}

/** Asks on the terminal to type the cluster's name; throws a CloudError unless it was typed. */
export async function askToConfirmDestroy(cluster: string, what: string): Promise<void> {
  if (!process.stdin.isTTY)
    throw new CloudError(
      `destroy deletes ${what} of cluster ${cluster}, volumes included: pass --yes or set ${CONFIRM_DESTROY_ENV}=${cluster} to confirm (there is no terminal to ask on).`,
    );
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(
    `This deletes ${what} of cluster ${cluster}, volumes and their data included.\nType the cluster name to confirm: `,
  );
  rl.close();
  if (answer.trim() !== cluster) throw new CloudError(`"${answer.trim()}" is not "${cluster}"; nothing was destroyed.`);
}

/** What every layer's destroy does first: go on when the run is confirmed, else ask on the terminal. */
export async function confirmDestroy(
  cluster: string,
  what: string,
  yes: unknown,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (!destroyConfirmed(cluster, yes, env)) await askToConfirmDestroy(cluster, what);
}
