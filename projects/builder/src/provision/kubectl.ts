// kubectl against the cluster, with the kubeconfig hosts:provision keeps in the vault's tokens,
// written for the one call to a private folder and removed after. Used where the builder needs
// the cluster's API outside the sandbox: the handover's workload and destroy's node deletion.
import { createSecureTempDir } from '@personal-cloud/vault';

/** zx on first use: loading it costs about 50 ms of every start, and a run that finds nothing to do never needs it. */
const zx = () => import('zx');

export interface KubectlResult {
  ok: boolean;
  stdout: string;
  /** kubectl's last line on stderr: what to say when it failed. */
  lastLine: string;
}

export type Kubectl = (args: string[], input?: string) => Promise<KubectlResult>;

/** A kubectl bound to one kubeconfig; every call gives up after `timeoutSeconds` (a cluster that is down). */
export function kubectlWith(kubeconfig: string, command = 'kubectl', timeoutSeconds = 10): Kubectl {
  return async (args, input) => {
    const dir = await createSecureTempDir();
    try {
      const file = await dir.writeFile('kubeconfig', kubeconfig);
      // Without input, kubectl's stdin is closed: nothing can wait on it.
      const stdin: { stdio?: ['ignore', 'pipe', 'pipe']; input?: string } =
        input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input };
      const output = await (await zx()).$({
        nothrow: true,
        quiet: true,
        ...stdin,
      })`${command} --kubeconfig ${file} --request-timeout=${timeoutSeconds}s ${args}`;
      const lines = output.stderr.trim().split('\n');
      return { ok: output.exitCode === 0, stdout: output.stdout, lastLine: lines.at(-1) ?? '' };
    } finally {
      await dir.remove();
    }
  };
}
