// The cluster's API side as the sandbox keeps it, under the machine world's `extensions['k8s-apps']`:
// whether Flux is installed and from which source, the Secrets created (names and keys, never
// values: the sandbox is never sent a value), each Flux Kustomization's last condition, and the
// object storage's buckets the layer created.

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

/** A VolSync ReplicationDestination the sandbox's VolSync is restoring, or has restored. */
export interface RestoreRecord {
  namespace: string;
  name: string;
  /** The claim it restores into: its own new claim, or an existing one (`destinationPVC`, in place). */
  claim: string;
  capacity: string | null;
  /** The snapshot's time it asked for (`restoreAsOf`), or null for the newest. */
  asOf: string | null;
  /** The `trigger.manual` value that started it; VolSync reports it back as `lastManualSync`. */
  trigger: string;
  startedAt: number;
  finishesAt: number;
  result: 'Successful' | 'Failed';
  message: string;
}

export interface ClusterApiState {
  flux: { version: string; source: FluxSource; installedAt: string } | null;
  /** `<namespace>/<name>` → the keys it holds. */
  secrets: Record<string, string[]>;
  /** `<namespace>/<name>` → the fingerprint its client sent (a hash of its data), so a rerun can skip an unchanged Secret. */
  secretFingerprints: Record<string, string>;
  kustomizations: Record<string, KustomizationCondition>;
  /** The revision of the last reconcile, or null before the first. */
  revision: string | null;
  /** Objects applied directly (not by Flux): `<kind>/<namespace>/<name>` → the object. */
  applied: Record<string, unknown>;
  /** `<namespace>/<name>` → the restore a ReplicationDestination started. */
  restores: Record<string, RestoreRecord>;
  /** The object storage's buckets (the cold tier), by name: where, and when they were created. */
  buckets: Record<string, { endpoint: string; createdAt: string }>;
}

export function emptyClusterApiState(): ClusterApiState {
  return {
    flux: null,
    secrets: {},
    secretFingerprints: {},
    kustomizations: {},
    revision: null,
    applied: {},
    restores: {},
    buckets: {},
  };
}
