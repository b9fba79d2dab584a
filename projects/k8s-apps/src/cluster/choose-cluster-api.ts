// The cluster client follows the endpoint, as the hosts layer's executor does: an API endpoint
// that is a sandbox gets the sandbox's model of the cluster (whatever the vault holds); any other
// gets the Kubernetes API, with the kubeconfig hosts:provision keeps in the vault's tokens.
import { CloudError } from '@personal-cloud/cluster';
import { sandboxOrigin } from '@personal-cloud/sandbox';
import { DeployKeyRemote } from '../gitops/deploy-key-remote';
import type { RunClock } from '../provision/wait-kustomizations';
import type { ClusterApi } from './cluster-api';
import { FLUX_VERSION } from './flux-version';
import { fluxPreflight } from './flux-cli';
import { SandboxClusterApi } from './sandbox-cluster-api';
import { KUBECONFIG_TOKEN } from '@personal-cloud/layer-kit';

export interface ClusterApiInputs {
  /** The config's GitOps repository URL: what the Hetzner world pushes to and Flux follows. */
  gitopsUrl: string;
  /** The vault's tokens, read only for the Kubernetes API (the sandbox needs none). */
  readTokens(): Promise<Record<string, string>>;
  clock: RunClock;
  fetchImpl?: typeof fetch;
  env?: NodeJS.ProcessEnv;
}

export async function chooseClusterApi(endpoint: string, inputs: ClusterApiInputs): Promise<ClusterApi> {
  const env = inputs.env ?? process.env;
  const origin = await sandboxOrigin(endpoint, inputs.fetchImpl ?? fetch);
  if (origin) return new SandboxClusterApi(origin);
  // Against a real cluster Flux is installed from the operator's CLI: name it missing before anything else.
  await fluxPreflight(FLUX_VERSION, env);
  const tokens = await inputs.readTokens();
  const kubeconfig = tokens[KUBECONFIG_TOKEN];
  if (!kubeconfig)
    throw new CloudError(
      `the vault's tokens lack ${KUBECONFIG_TOKEN}, the cluster's kubeconfig that \`npx nx run hosts:provision\` records; run it first. Nothing was pushed or applied.`,
    );
  // Loaded only here: the client takes seconds to import, which the sandbox world never pays.
  const { KubernetesClusterApi } = await import('./kubernetes-cluster-api');
  return new KubernetesClusterApi({
    kubeconfig,
    gitops: new DeployKeyRemote(inputs.gitopsUrl, tokens),
    clock: inputs.clock,
    env,
  });
}
