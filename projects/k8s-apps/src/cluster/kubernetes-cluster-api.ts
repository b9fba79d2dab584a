// The cluster side of the Hetzner world: the Kubernetes API through @kubernetes/client-node, with
// the kubeconfig hosts:provision keeps in the vault (loaded from memory, never written to disk).
// Every write is a server-side apply (application/apply-patch+yaml) under one field manager, so a
// rerun of the same objects changes nothing and what this layer owns is visible in managedFields.
// It forces only where this layer is the one source of truth: Flux's own components and sync (the
// pinned install replaces what an older install or a hand edit set) and the runtime Secrets (the
// vault holds their values). A restore's objects are applied without force, so a conflict with
// whoever else manages them (Flux) is reported instead of taken over.
import { KubeConfig, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { CloudError } from '@personal-cloud/cluster';
import type { BucketRequest } from '../buckets/cold-buckets';
import type { DeployKeyRemote } from '../gitops/deploy-key-remote';
import { describeObject, type Manifest } from '../manifest/manifest';
import type { RunClock } from '../provision/wait-kustomizations';
import { FLUX_SOURCE, fluxSyncObjects } from '../render/flux-layout';
import { FLUX_NAMESPACE } from '../render/platform-context';
import type {
  ClusterApi,
  FluxInstall,
  KustomizationStatus,
  ReplicationDestinationStatus,
  SecretToApply,
  WorldGitopsRemote,
} from './cluster-api';
import { ExactObjectApi, type NamedObject } from './exact-object-api';
import { fluxInstallManifests } from './flux-cli';
import { apiStatus, kubernetesApiError } from './kubernetes-api-error';

/** The field manager of every apply this layer makes. */
export const FIELD_MANAGER = 'personal-cloud';
/** The label on every Secret this layer creates: one list by it finds them all. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'personal-cloud' } as const;
/** The annotation that carries a Secret's data fingerprint (sha256 of its sorted data). */
export const FINGERPRINT_ANNOTATION = 'personal-cloud/fingerprint';
/** The label `flux install` puts on its namespace: which Flux is installed. */
const FLUX_VERSION_LABEL = 'app.kubernetes.io/version';

const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';
const GIT_REPOSITORY_API = 'source.toolkit.fluxcd.io/v1';

export interface KubernetesClusterOptions {
  /** The kubeconfig's text, as hosts:provision recorded it in the vault's tokens. */
  kubeconfig: string;
  gitops: DeployKeyRemote;
  clock: RunClock;
  env?: NodeJS.ProcessEnv;
  /** How long one request may take before the API server is named as not answering (default 30 s). */
  requestTimeoutMs?: number;
  /** How long Flux's CRDs may take to be Established (default 2 minutes). */
  crdTimeoutMs?: number;
  pollMs?: number;
}

type Condition = { type?: string; status?: string; reason?: string; message?: string };
type FluxObject = KubernetesObject & {
  spec?: { url?: string; ref?: { branch?: string }; path?: string; dependsOn?: { name: string }[] };
  status?: { conditions?: Condition[]; lastAttemptedRevision?: string; lastAppliedRevision?: string };
};

export class KubernetesClusterApi implements ClusterApi {
  readonly kind = 'kubernetes';
  private readonly objects: ExactObjectApi;
  private readonly server: string;
  private readonly namespaces = new Set<string>();
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: KubernetesClusterOptions) {
    const config = new KubeConfig();
    try {
      config.loadFromString(options.kubeconfig);
    } catch {
      // The parser's message would quote the text, and the text holds the client's key: not shown.
      throw new CloudError(
        "the vault's KUBECONFIG token does not parse as a kubeconfig; run `npx nx run hosts:provision` to record it again.",
      );
    }
    const cluster = config.getCurrentCluster();
    if (!cluster)
      throw new CloudError(
        "the vault's KUBECONFIG token names no current cluster; run `npx nx run hosts:provision` to record it again.",
      );
    this.server = cluster.server;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.objects = ExactObjectApi.forConfig(config, this.requestTimeoutMs);
  }

  gitopsRemote(branch: string): Promise<WorldGitopsRemote> {
    return this.options.gitops.remote(branch);
  }

  async ensureFlux(install: FluxInstall): Promise<boolean> {
    if (await this.fluxMatches(install)) return false;
    const text = await fluxInstallManifests(install.version, this.options.env);
    const manifests = parseAllDocuments(text)
      .map((document) => document.toJSON() as Manifest | null)
      .filter((object): object is Manifest => Boolean(object?.kind));
    if (!manifests.some((m) => m.kind === 'CustomResourceDefinition'))
      throw new CloudError(
        `\`flux install --export --version=${install.version}\` printed no CustomResourceDefinition; nothing was applied.`,
      );
    for (const object of manifests) await this.applyObject(object, true);
    for (const crd of manifests.filter((m) => m.kind === 'CustomResourceDefinition'))
      await this.waitEstablished(crd.metadata.name);
    for (const object of fluxSyncObjects(install.source)) await this.applyObject(object, true);
    return true;
  }

  async secretFingerprints(): Promise<Map<string, string>> {
    const selector = Object.entries(MANAGED_BY)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const list = await this.call('listing the Secrets this layer created', () =>
      this.objects.list('v1', 'Secret', undefined, undefined, undefined, undefined, undefined, selector),
    );
    return new Map(
      list.items.flatMap((secret) => {
        const fingerprint = secret.metadata?.annotations?.[FINGERPRINT_ANNOTATION];
        return fingerprint ? [[`${secret.metadata!.namespace}/${secret.metadata!.name}`, fingerprint] as const] : [];
      }),
    );
  }

  async applySecret(secret: SecretToApply): Promise<void> {
    // A Secret cannot be created before its namespace (flux-system before Flux's install, an app's before Flux applies it).
    await this.ensureNamespace(secret.namespace);
    const data = Object.fromEntries(
      Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    );
    await this.applyObject(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: secret.name,
          namespace: secret.namespace,
          labels: { ...MANAGED_BY },
          annotations: { [FINGERPRINT_ANNOTATION]: secret.fingerprint },
        },
        type: 'Opaque',
        data,
      },
      true,
    );
  }

  async reconcile(): Promise<void> {
    // What `flux reconcile source git` does: the request annotation, as a merge patch, so this
    // field manager's applied intent for the GitRepository is left as it was.
    const source = {
      apiVersion: GIT_REPOSITORY_API,
      kind: 'GitRepository',
      metadata: {
        name: FLUX_SOURCE,
        namespace: FLUX_NAMESPACE,
        annotations: { 'reconcile.fluxcd.io/requestedAt': new Date(this.options.clock.now()).toISOString() },
      },
    };
    await this.call(`asking ${describeObject(source)} to reconcile`, () =>
      this.objects.patchExact(source, PatchStrategy.MergePatch, [['fieldManager', FIELD_MANAGER]]),
    );
  }

  async kustomizations(): Promise<KustomizationStatus[]> {
    const list = await this.call("listing Flux's Kustomizations", () =>
      this.objects.list<FluxObject>(KUSTOMIZATION_API, 'Kustomization', FLUX_NAMESPACE),
    );
    return list.items.map((item) => {
      const ready = item.status?.conditions?.find((c) => c.type === 'Ready');
      return {
        name: item.metadata?.name ?? '',
        ready: ready?.status === 'True',
        reason: ready?.reason ?? 'Progressing',
        message: ready?.message ?? 'no Ready condition yet',
        // The attempted revision, so a failure at the pushed commit is seen as that commit's.
        revision: item.status?.lastAttemptedRevision ?? item.status?.lastAppliedRevision ?? '',
        dependsOn: (item.spec?.dependsOn ?? []).map((d) => d.name),
      };
    });
  }

  async apply(objects: readonly Manifest[]): Promise<void> {
    for (const object of objects) await this.applyObject(object, false);
  }

  async replicationDestination(namespace: string, name: string): Promise<ReplicationDestinationStatus | null> {
    const header = {
      apiVersion: 'volsync.backube/v1alpha1',
      kind: 'ReplicationDestination',
      metadata: { name, namespace },
    };
    const found = (await this.readOrNull(header)) as
      | (KubernetesObject & {
          status?: {
            lastSyncTime?: string;
            lastManualSync?: string;
            latestMoverStatus?: { result?: 'Successful' | 'Failed'; logs?: string };
          };
        })
      | null;
    if (!found) return null;
    const status = found.status ?? {};
    return {
      lastSyncTime: status.lastSyncTime ? new Date(status.lastSyncTime).toISOString() : null,
      lastManualSync: status.lastManualSync ?? null,
      result: status.latestMoverStatus?.result ?? null,
      message: status.latestMoverStatus?.logs ?? '',
    };
  }

  async ensureBuckets(request: BucketRequest): Promise<string[]> {
    const { createMissingBuckets } = await import('../buckets/s3-buckets');
    return createMissingBuckets(request);
  }

  close(): Promise<void> {
    return this.options.gitops.close();
  }

  /** Flux at the pinned version (its namespace's label) following the same source and path. */
  private async fluxMatches(install: FluxInstall): Promise<boolean> {
    const namespace = await this.readOrNull({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: FLUX_NAMESPACE },
    });
    if (namespace?.metadata?.labels?.[FLUX_VERSION_LABEL] !== install.version) return false;
    const at = { name: FLUX_SOURCE, namespace: FLUX_NAMESPACE };
    const source = (await this.readOrNull({
      apiVersion: GIT_REPOSITORY_API,
      kind: 'GitRepository',
      metadata: at,
    })) as FluxObject | null;
    const sync = (await this.readOrNull({
      apiVersion: KUSTOMIZATION_API,
      kind: 'Kustomization',
      metadata: at,
    })) as FluxObject | null;
    return (
      source?.spec?.url === install.source.url &&
      source.spec.ref?.branch === install.source.branch &&
      sync?.spec?.path === `./${install.source.path}`
    );
  }

  private async waitEstablished(name: string): Promise<void> {
    const { clock } = this.options;
    const timeoutMs = this.options.crdTimeoutMs ?? 120_000;
    const deadline = clock.now() + timeoutMs;
    const header = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name } };
    for (;;) {
      const crd = (await this.readOrNull(header)) as
        | (KubernetesObject & { status?: { conditions?: Condition[] } })
        | null;
      if (crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
      if (clock.now() >= deadline)
        throw new CloudError(
          `k8s-apps: Flux's CustomResourceDefinition ${name} is not Established after ${Math.round(timeoutMs / 1000)} s; \`kubectl describe crd ${name}\` says why.`,
        );
      await clock.sleep(this.options.pollMs ?? 1000);
    }
  }

  /**
   * Creates the namespace only when it is missing: an apply of the bare name under this field
   * manager would drop the labels it applied before (flux-system's, from Flux's install).
   */
  private async ensureNamespace(name: string): Promise<void> {
    if (this.namespaces.has(name)) return;
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    if (!(await this.readOrNull(namespace))) await this.applyObject(namespace, false);
    this.namespaces.add(name);
  }

  private async applyObject(object: Manifest, force: boolean): Promise<void> {
    await this.call(`applying ${describeObject(object)}`, () =>
      this.objects.patchExact(object as NamedObject, PatchStrategy.ServerSideApply, [
        ['fieldManager', FIELD_MANAGER],
        ['force', String(force)],
      ]),
    );
  }

  private async readOrNull(header: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  }): Promise<KubernetesObject | null> {
    try {
      return await this.objects.read(header);
    } catch (error) {
      if (apiStatus(error) === 404) return null;
      // Discovery finds no such kind before its CRD is installed: nothing of that kind exists.
      if (apiStatus(error) === undefined && /Unrecognized API version and kind/.test((error as Error).message))
        return null;
      throw kubernetesApiError(`reading ${describeObject(header)}`, error, this.server, this.requestTimeoutMs);
    }
  }

  private async call<T>(doing: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw kubernetesApiError(doing, error, this.server, this.requestTimeoutMs);
    }
  }
}
