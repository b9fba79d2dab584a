// `kubectl kustomize` over every directory with a kustomization.yaml: the field's own tool says
// whether Flux will be able to build what render wrote.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudError } from '@personal-cloud/cluster';

const run = promisify(execFile);

/** The directories of a tree (paths relative to its root) that kustomize can build. */
export function kustomizationDirectories(files: Iterable<string>): string[] {
  return [...files]
    .filter((file) => file === 'kustomization.yaml' || file.endsWith('/kustomization.yaml'))
    .map((file) => file.slice(0, -'kustomization.yaml'.length).replace(/\/$/, '') || '.')
    .sort();
}

/** Builds each directory, two at a time; returns one problem per directory that does not build. */
export async function kustomizeBuildProblems(
  root: string,
  directories: readonly string[],
  kubectl = 'kubectl',
): Promise<string[]> {
  const problems: string[] = [];
  const queue = [...directories];
  const worker = async () => {
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      try {
        await run(kubectl, ['kustomize', join(root, dir)], { maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const failure = error as { code?: string; stderr?: string; message: string };
        if (failure.code === 'ENOENT')
          throw new CloudError(`check needs ${kubectl} on PATH to build the kustomizations: install kubectl`);
        const reason = (failure.stderr || failure.message).trim().split('\n')[0];
        problems.push(`${dir}: kubectl kustomize cannot build it: ${reason}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return problems.sort();
}
