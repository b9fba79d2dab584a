// `hosts:kubeconfig`: the cluster's kubeconfig from the vault, as a context named after the cluster,
// merged into the operator's kubeconfig ($KUBECONFIG's first file, else ~/.kube/config) or printed.
// Its server is a control-plane node's Tailscale name, which the operator's machine reaches.
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { CloudError } from '@personal-cloud/cluster';
import { replaceFileAtomically } from '@personal-cloud/vault';
import { loadHostsInputs } from '../hosts-inputs';
import { KUBECONFIG_TOKEN } from '@personal-cloud/layer-kit';
import { clusterKubeconfig, kubeconfigText, mergeKubeconfig, serverOf } from './kubeconfig-merge';

export interface OperatorKubeconfigRun {
  env: NodeJS.ProcessEnv;
  /** Print the context's kubeconfig instead of merging it. */
  print?: boolean;
  /** The control-plane node whose Tailscale name becomes the server (default: the one hosts fetched it from). */
  node?: string;
  out: (text: string) => void;
}

/** Where kubectl reads first: $KUBECONFIG's first file, else ~/.kube/config. */
export function operatorKubeconfigPath(env: NodeJS.ProcessEnv): string {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean)[0];
  return listed ?? join(env.HOME || homedir(), '.kube', 'config');
}

export async function operatorKubeconfig(run: OperatorKubeconfigRun): Promise<void> {
  const { config, nodes, vault } = await loadHostsInputs(run.env);
  const stored = (await vault.read('tokens'))[KUBECONFIG_TOKEN];
  if (!stored)
    throw new CloudError(
      `the vault's tokens hold no ${KUBECONFIG_TOKEN} yet: \`npx nx run hosts:provision\` keeps it there once the first control-plane server is up.`,
    );
  const servers = nodes.filter((n) => n.k3s.role === 'server');
  const reachable = servers.map((n) => `https://${n.hetznerName}:6443`);
  let server: string | undefined;
  if (run.node !== undefined) {
    const chosen = servers.find((n) => n.name === run.node);
    if (!chosen)
      throw new CloudError(
        `--node must be a control-plane node of phase ${config.phase} (${servers.map((n) => n.name).join(', ')}), not "${run.node}".`,
      );
    server = `https://${chosen.hetznerName}:6443`;
  }
  const ours = clusterKubeconfig(stored, config.name, server);
  if (!reachable.includes(serverOf(ours)))
    throw new CloudError(
      `the vault's ${KUBECONFIG_TOKEN} names the server ${serverOf(ours) || '(none)'}, which is not a control-plane node's Tailscale name (${reachable.join(', ')}); pick one with --node, or run \`npx nx run hosts:provision\` to fetch it again.`,
    );
  if (run.print) return run.out(kubeconfigText(ours));

  const path = operatorKubeconfigPath(run.env);
  const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new CloudError(`cannot read ${path} (${error.code ?? error.message}); nothing was written.`);
  });
  const merged = mergeKubeconfig(existing, ours, path);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await replaceFileAtomically(path, merged.text, { mode: 0o600, keepBackup: false });
  const switched = merged.previousContext ? ` (was ${merged.previousContext})` : '';
  run.out(
    `hosts: context ${config.name} ${merged.replaced ? 'replaced' : 'added'} in ${path}, server ${serverOf(ours)} (over Tailscale); current context ${config.name}${switched}; other contexts kept.\n`,
  );
}
