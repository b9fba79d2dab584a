// Flux's install manifests are not on npm or apt: against a real cluster they come from the
// operator's `flux` CLI, `flux install --export` at the pinned version. The preflight names a
// missing or different CLI before anything is pushed or applied.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudError } from '@personal-cloud/cluster';

const run = promisify(execFile);

const INSTALL_HINT = (version: string) =>
  `install it with \`curl -s https://fluxcd.io/install.sh | sudo FLUX_VERSION=${version.replace(/^v/, '')} bash\``;

/** The CLI's version (`flux version --client`); throws one sentence when it is missing or not `version`. */
export async function fluxPreflight(version: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let output: string;
  try {
    output = (await run('flux', ['version', '--client'], { env })).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CloudError(
        `the \`flux\` CLI is not on PATH: k8s-apps takes Flux ${version}'s install manifests from \`flux install --export\`; ${INSTALL_HINT(version)}.`,
      );
    throw new CloudError(`\`flux version --client\` failed: ${(error as { stderr?: string }).stderr?.trim() || error}`);
  }
  const found = /v?(\d+\.\d+\.\d+)/.exec(output)?.[1];
  if (`v${found}` !== version)
    throw new CloudError(
      `the \`flux\` CLI on PATH is ${found ? `v${found}` : 'of an unknown version'}, and k8s-apps pins Flux ${version}; ${INSTALL_HINT(version)}.`,
    );
}

/** Flux's components as `flux install --export` writes them, for server-side apply. */
export async function fluxInstallManifests(version: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  await fluxPreflight(version, env);
  const args = ['install', '--export', `--version=${version}`];
  try {
    return (await run('flux', args, { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    throw new CloudError(
      `\`flux ${args.join(' ')}\` failed, so nothing was applied: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`,
    );
  }
}
