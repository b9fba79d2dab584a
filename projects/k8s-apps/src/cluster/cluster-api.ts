// The one interface the k8s-apps layer's cluster side goes through. Two implementations: the
// sandbox's model of the cluster's API (sandbox-cluster-api.ts) and the Kubernetes API through
// @kubernetes/client-node (kubernetes-cluster-api.ts). The endpoint chooses (choose-cluster-api.ts).
import type { KustomizationCondition } from '@personal-cloud/sandbox';
import type { BucketRequest } from '../buckets/cold-buckets';
import type { GitopsRemote } from '../gitops/gitops-clone';
import type { Manifest } from '../manifest/manifest';
import type { FluxSyncSource } from '../render/flux-layout';

export interface FluxInstall {
  /** Flux's version, pinned (flux install --export --version). */
  version: string;
  /** What Flux's GitRepository follows, and the cluster's directory in it. */
  source: FluxSyncSource;
}

/** A Secret with its values, created at deploy time and never written to git. */
export interface SecretToApply {
  namespace: string;
  name: string;
  data: Record<string, string>;
  /** `sha256:<hex>` of the data: recorded with the Secret, so a rerun applies only what changed. */
  fingerprint: string;
}

/** A Flux Kustomization's Ready condition: the sandbox's model reports it in the same shape as Flux's status. */
export type KustomizationStatus = Omit<KustomizationCondition, 'objects'>;

/** The GitOps remote as the world gives it: where to push and where Flux reads, and its host key. */
export interface WorldGitopsRemote extends GitopsRemote {
  /** The known_hosts line for an ssh:// remote; empty for a file:// remote, which has no host. */
  knownHosts: string;
}

/** A VolSync ReplicationDestination's status: running until its first sync ends, then the mover's result. */
export interface ReplicationDestinationStatus {
  lastSyncTime: string | null;
  /** The `trigger.manual` value of the sync that ended last. */
  lastManualSync: string | null;
  result: 'Successful' | 'Failed' | null;
  /** The mover's log tail. */
  message: string;
}

export interface ClusterApi {
  /** 'kubernetes' or 'sandbox': for messages only; no caller branches on it. */
  readonly kind: string;
  gitopsRemote(branch: string): Promise<WorldGitopsRemote>;
  /** Installs Flux when it is missing or differs (its source Secret is applied before); true when it did. */
  ensureFlux(install: FluxInstall): Promise<boolean>;
  /** `<namespace>/<name>` → the fingerprint recorded with each Secret applied so far. */
  secretFingerprints(): Promise<Map<string, string>>;
  /** Creates or updates the Secret (server-side apply). */
  applySecret(secret: SecretToApply): Promise<void>;
  /** Asks Flux to fetch its source and reconcile now (flux reconcile source git). */
  reconcile(): Promise<void>;
  kustomizations(): Promise<KustomizationStatus[]>;
  /** Server-side apply of objects that are not Secrets (a restore's namespace and ReplicationDestinations). */
  apply(objects: readonly Manifest[]): Promise<void>;
  replicationDestination(namespace: string, name: string): Promise<ReplicationDestinationStatus | null>;
  /**
   * Creates the cold tier's buckets that do not exist yet; returns their names. The object storage
   * is outside the cluster, but its world is the cluster's: the sandbox's model, or Hetzner's S3 API.
   */
  ensureBuckets(request: BucketRequest): Promise<string[]>;
  /** Removes what the client keeps for the run (the deploy key's file for git over SSH). */
  close(): Promise<void>;
}
