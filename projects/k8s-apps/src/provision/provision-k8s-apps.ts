// k8s-apps' provision: the rendered tree committed to the GitOps repository and pushed (nothing
// committed when the repository holds it already), then, through the cluster client the endpoint
// chooses, Flux installed with the deploy key as its source, the runtime Secrets created from the
// vault, and every Flux Kustomization waited for until Ready at the pushed commit.
import { CloudError, type LayerConfig } from '@personal-cloud/cluster';
import { resolve4, resolve6 } from 'node:dns/promises';
import { openWorld, type World } from '@personal-cloud/infra';
import { findLeaks } from '@personal-cloud/vault';
import type { ClusterApi, KustomizationStatus } from '../cluster/cluster-api';
import { chooseClusterApi } from '../cluster/choose-cluster-api';
import { FLUX_VERSION } from '../cluster/flux-version';
import { coldBucketRequest } from '../buckets/cold-buckets';
import { commitTree, fetchRemote, filesAt, pushBranch } from '../gitops/gitops-clone';
import { dnsRecords, formatRecords, missingRecords, type Resolve } from '../dns/dns-records';
import { loadConfig, readTokens, readVars } from '../k8s-apps-inputs';
import { planGitops, type GitopsPlan } from '../plan/gitops-plan';
import { clusterDir } from '../render/flux-layout';
import { renderTree } from '../render/render-tree';
import { applyChangedSecrets } from './apply-changed-secrets';
import { secretValues } from './secret-values';
import { waitForKustomizations, type RunClock } from './wait-kustomizations';

/** The workspace's clone of the GitOps repository. */
export const GITOPS_CLONE_DIR = 'dist/k8s-apps/gitops';

export interface K8sAppsRun {
  env?: NodeJS.ProcessEnv;
  clone?: string;
  clock?: RunClock;
  log?: (line: string) => void;
  /** How long to wait for the Kustomizations (default 10 minutes). */
  timeoutMs?: number;
  /** The DNS resolver provision checks the apps' records with (Hetzner world); the system's by default. */
  resolve?: Resolve;
}

const resolveWithSystem: Resolve = (host, type) => (type === 'A' ? resolve4(host) : resolve6(host));

export interface PlannedGitops {
  config: LayerConfig<'k8s-apps'> & { gitops: NonNullable<LayerConfig<'k8s-apps'>['gitops']> };
  files: Map<string, string>;
  plan: GitopsPlan;
  remoteUrl: string;
}

const realClock: RunClock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Opens the world's cluster client and GitOps remote, runs `body`, and closes what it started. */
async function withCluster<T>(
  run: K8sAppsRun,
  body: (api: ClusterApi, config: PlannedGitops['config'], world: World['kind']) => Promise<T>,
): Promise<T> {
  const env = run.env ?? process.env;
  const config = await loadConfig(env);
  if (!config.gitops)
    throw new CloudError(
      'gitops: the k8s-apps layer needs the GitOps repository: set gitops: { url, branch } in the config',
    );
  const world = await openWorld(env);
  try {
    const api = await chooseClusterApi(world.endpoint, {
      gitopsUrl: config.gitops.url,
      readTokens: () => readTokens(env),
      clock: run.clock ?? realClock,
      env,
    });
    try {
      return await body(api, { ...config, gitops: config.gitops }, world.kind);
    } finally {
      await api.close();
    }
  } finally {
    await world.close();
  }
}

/** The render against what the GitOps repository holds, object by object. */
export async function planK8sApps(run: K8sAppsRun = {}): Promise<PlannedGitops> {
  return withCluster(run, async (api, config) => {
    const remote = await api.gitopsRemote(config.gitops.branch);
    const clone = run.clone ?? GITOPS_CLONE_DIR;
    const base = await fetchRemote(clone, remote);
    const files = renderTree(config).files;
    return { config, files, plan: planGitops(base, await filesAt(clone, base), files), remoteUrl: remote.url };
  });
}

export interface ProvisionResult {
  plan: GitopsPlan;
  /** The commit pushed by this run, or null when the repository held the render already. */
  pushed: string | null;
  /** The commit Flux was waited on. */
  head: string;
  fluxInstalled: boolean;
  kustomizations: KustomizationStatus[];
  remoteUrl: string;
}

export async function provisionK8sApps(run: K8sAppsRun = {}): Promise<ProvisionResult> {
  const env = run.env ?? process.env;
  const log = run.log ?? console.log;
  const clock = run.clock ?? realClock;
  const clone = run.clone ?? GITOPS_CLONE_DIR;
  const tokens = await readTokens(env);
  return withCluster(run, async (api, config, world) => {
    const tree = renderTree(config);
    // check refuses a leak too; provision must never push one, whatever ran before it.
    const leaks = findLeaks(
      [...tree.files].map(([path, text]) => ({ path, text })),
      tokens,
    );
    if (leaks.length)
      throw new CloudError(
        `the render holds the value of the vault's token ${leaks[0]!.token} in ${leaks[0]!.path}; nothing was pushed.`,
      );
    // Named before anything is done: from the cold tier's phase on, its buckets need the S3 keys.
    const buckets = coldBucketRequest(config, tokens);
    const remote = await api.gitopsRemote(config.gitops.branch);
    // Every value is resolved before anything is written, so a missing token stops the run early.
    // A restore's Secrets are the restore's to create, in the namespace it makes.
    const secrets = secretValues(
      tree.secrets.filter((s) => !s.forRestore),
      tokens,
      remote,
    );
    const base = await fetchRemote(clone, remote);
    // Before the push: backups and attic's chunks have somewhere to go once Flux applies them.
    const created = buckets ? await api.ensureBuckets(buckets) : [];
    if (created.length)
      log(
        `k8s-apps: created the cold tier's bucket${created.length === 1 ? '' : 's'} ${created.join(', ')} at ${buckets!.endpoint}.`,
      );
    const plan = planGitops(base, await filesAt(clone, base), tree.files);
    const commit = await commitTree(clone, remote, base, tree.files, commitMessage(config, plan));
    if (commit) {
      await pushBranch(clone, remote, commit);
      log(`k8s-apps: pushed ${commit.slice(0, 7)} to ${remote.url} (${summary(plan)}).`);
    }
    const head = commit ?? base!;
    // Secrets first (the deploy key is Flux's source Secret), each only when its data changed.
    const changed = await applyChangedSecrets(api, secrets);
    const source = { url: remote.url, branch: config.gitops.branch, path: clusterDir(config) };
    const fluxInstalled = await api.ensureFlux({ version: FLUX_VERSION, source });
    if (fluxInstalled)
      log(`k8s-apps: Flux ${FLUX_VERSION} installed (${api.kind}), following ${source.url} ${source.branch}.`);
    const before = await api.kustomizations();
    const settled = before.length > 0 && before.every((s) => s.ready && s.revision.endsWith(`:${head}`));
    if (!settled) await api.reconcile();
    const kustomizations = await waitForKustomizations(api, {
      commit: head,
      clock,
      timeoutMs: run.timeoutMs,
      onReady: settled ? undefined : (s) => log(`k8s-apps: Kustomization ${s.name} Ready (${s.message}).`),
    });
    if (!commit)
      log(
        `k8s-apps: nothing to commit: ${remote.url} holds this render (${head.slice(0, 7)}); ${kustomizations.length} Flux Kustomizations Ready; ${secrets.length - changed.length} of ${secrets.length} Secrets unchanged.`,
      );
    // The sandbox's addresses are documentation ranges no resolver knows: only Hetzner's are looked up.
    if (world === 'hetzner') {
      const { records } = dnsRecords(config, await readVars(env));
      const missing = await missingRecords(records, run.resolve ?? resolveWithSystem);
      if (missing.length)
        log(
          `k8s-apps: ${missing.length} DNS record${missing.length === 1 ? '' : 's'} missing (create them at your DNS provider):\n${formatRecords(missing).join('\n')}`,
        );
    }
    return { plan, pushed: commit, head, fluxInstalled, kustomizations, remoteUrl: remote.url };
  });
}

function summary(plan: GitopsPlan): string {
  const count = (action: string) => plan.changes.filter((c) => c.action === action).length;
  return `${count('add')} added, ${count('change')} changed, ${count('remove')} removed`;
}

function commitMessage(config: LayerConfig<'k8s-apps'>, plan: GitopsPlan): string {
  return `k8s-apps: ${config.name} phase ${config.phase}: ${summary(plan)}`;
}
