// The cluster side of the sandbox world: each call goes to the sandbox's model of the cluster's
// API (/__sandbox/cluster…), which journals it. Secrets travel as names and keys only: a value
// never leaves this process.
import { CloudError } from '@personal-cloud/cluster';
import type { ClusterApiState, ClusterStepAnswer } from '@personal-cloud/sandbox';
import type { BucketRequest } from '../buckets/cold-buckets';
import type { Manifest } from '../manifest/manifest';
import type {
  ClusterApi,
  FluxInstall,
  KustomizationStatus,
  ReplicationDestinationStatus,
  SecretToApply,
  WorldGitopsRemote,
} from './cluster-api';

export class SandboxClusterApi implements ClusterApi {
  readonly kind = 'sandbox';

  constructor(private readonly origin: string) {}

  async gitopsRemote(branch: string): Promise<WorldGitopsRemote> {
    const { url } = (await this.get('/__sandbox/gitops')) as { url: string };
    return { url, branch, knownHosts: '' };
  }

  async ensureFlux(install: FluxInstall): Promise<boolean> {
    const { flux } = (await this.get('/__sandbox/cluster')) as ClusterApiState;
    const same =
      flux?.version === install.version &&
      flux.source.url === install.source.url &&
      flux.source.branch === install.source.branch &&
      flux.source.path === install.source.path;
    if (same) return false;
    await this.step('flux-install', { version: install.version, source: install.source });
    return true;
  }

  async applySecret(secret: SecretToApply): Promise<void> {
    await this.step('apply-secret', {
      namespace: secret.namespace,
      name: secret.name,
      keys: Object.keys(secret.data).sort(),
      fingerprint: secret.fingerprint,
    });
  }

  async secretFingerprints(): Promise<Map<string, string>> {
    const { secretFingerprints } = (await this.get('/__sandbox/cluster')) as ClusterApiState;
    return new Map(Object.entries(secretFingerprints ?? {}));
  }

  async reconcile(): Promise<void> {
    await this.step('flux-reconcile', {});
  }

  async kustomizations(): Promise<KustomizationStatus[]> {
    const state = (await this.get('/__sandbox/cluster')) as ClusterApiState;
    return Object.values(state.kustomizations).map(({ name, ready, reason, message, revision, dependsOn }) => ({
      name,
      ready,
      reason,
      message,
      revision,
      dependsOn,
    }));
  }

  async apply(objects: readonly Manifest[]): Promise<void> {
    await this.step('apply', { objects });
  }

  async replicationDestination(namespace: string, name: string): Promise<ReplicationDestinationStatus | null> {
    const response = await fetch(`${this.origin}/__sandbox/cluster/replicationdestinations/${namespace}/${name}`);
    if (response.status === 404) return null;
    const { status } = (await response.json()) as {
      status: {
        lastSyncTime?: string;
        lastManualSync?: string;
        latestMoverStatus?: { result: 'Successful' | 'Failed'; logs: string };
      };
    };
    return {
      lastSyncTime: status.lastSyncTime ?? null,
      lastManualSync: status.lastManualSync ?? null,
      result: status.latestMoverStatus?.result ?? null,
      message: status.latestMoverStatus?.logs ?? '',
    };
  }

  /** The sandbox's object storage: a create-bucket step per missing bucket, journaled; the S3 keys stay here. */
  async ensureBuckets(request: BucketRequest): Promise<string[]> {
    const { buckets } = (await this.get('/__sandbox/cluster')) as ClusterApiState;
    const missing = request.buckets.filter((name) => !buckets?.[name]);
    for (const name of missing) await this.step('create-bucket', { name, endpoint: request.endpoint });
    return missing;
  }

  async close(): Promise<void> {
    // Nothing to remove: the sandbox's remote is a file:// repository and no key is written.
  }

  private async get(path: string): Promise<unknown> {
    const response = await fetch(`${this.origin}${path}`);
    if (!response.ok) throw new CloudError(`the sandbox answered ${response.status} to GET ${path}`);
    return response.json();
  }

  private async step(step: string, args: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(`${this.origin}/__sandbox/cluster/steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ step, args }),
    });
    const answer = (await response.json()) as ClusterStepAnswer & { error?: { message: string } };
    if (!response.ok)
      throw new CloudError(`${step}: the sandbox refused the step: ${answer.error?.message ?? response.status}.`);
    if (answer.outcome !== 'ok') throw new CloudError(`${step}: ${answer.message}.`);
    return answer.result;
  }
}
