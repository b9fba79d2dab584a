// The cluster client follows the endpoint, as the hosts layer's executor does: an API endpoint
// that is a sandbox gets the sandbox's model of the cluster; any other gets the Kubernetes API.
import { CloudError } from '@personal-cloud/cluster';
import { sandboxOrigin } from '@personal-cloud/sandbox';
import type { ClusterApi } from './cluster-api';
import { FLUX_VERSION } from './flux-version';
import { fluxPreflight } from './flux-cli';
import { SandboxClusterApi } from './sandbox-cluster-api';

export async function chooseClusterApi(
  endpoint: string,
  fetchImpl: typeof fetch = fetch,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ClusterApi> {
  const origin = await sandboxOrigin(endpoint, fetchImpl);
  if (origin) return new SandboxClusterApi(origin);
  // Against a real cluster Flux is installed from the operator's CLI: name it missing before anything else.
  await fluxPreflight(FLUX_VERSION, env);
  throw new CloudError(
    'k8s-apps: the Kubernetes API client is not built yet (it needs the @kubernetes/client-node package and the kubeconfig hosts:provision stores); only the sandbox world can be provisioned today.',
  );
}
