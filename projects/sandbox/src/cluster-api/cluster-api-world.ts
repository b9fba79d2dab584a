// The cluster's API side as the sandbox keeps it, under the machine world's `extensions['k8s-apps']`:
// whether Flux is installed and from which source, the Secrets created (names and keys, never
// values: the sandbox is never sent a value), and each Flux Kustomization's last condition.

export const CLUSTER_API_OWNER = 'k8s-apps';

export interface FluxSource {
  /** The git URL Flux's GitRepository follows (in the sandbox, the bare repository under the sandbox dir). */
  url: string;
  branch: string;
  /** The cluster's directory in the repository, which Flux's own Kustomization builds. */
  path: string;
}

export interface KustomizationCondition {
  name: string;
  ready: boolean;
  /** Flux's reasons: ReconciliationSucceeded, BuildFailed, DependencyNotReady, ArtifactFailed. */
  reason: string;
  message: string;
  /** The commit it was built from, `<branch>@sha1:<sha>`. */
  revision: string;
  dependsOn: string[];
  /** How many objects its build produced (0 when it failed). */
  objects: number;
}

export interface ClusterApiState {
  flux: { version: string; source: FluxSource; installedAt: string } | null;
  /** `<namespace>/<name>` → the keys it holds. */
  secrets: Record<string, string[]>;
  kustomizations: Record<string, KustomizationCondition>;
  /** The revision of the last reconcile, or null before the first. */
  revision: string | null;
}

export function emptyClusterApiState(): ClusterApiState {
  return { flux: null, secrets: {}, kustomizations: {}, revision: null };
}
