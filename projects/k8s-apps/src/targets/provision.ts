// k8s-apps:provision — commit and push the render to the GitOps repository (nothing when it holds
// it already), make sure Flux is installed, create the runtime Secrets, wait for every Flux
// Kustomization to be Ready.
import { provisionK8sApps } from '../provision/provision-k8s-apps';
import { formatGitopsPlan } from '../ui/format-gitops-plan';

export async function run(): Promise<void> {
  const started = Date.now();
  const result = await provisionK8sApps();
  if (!result.pushed) return;
  console.log(formatGitopsPlan(result.plan, result.remoteUrl));
  console.log(
    `k8s-apps: ${result.kustomizations.length} Flux Kustomizations Ready at ${result.head.slice(0, 7)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}
