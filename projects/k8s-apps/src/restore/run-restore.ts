// k8s-apps' restore: the app's ReplicationDestinations applied through the cluster client (into the
// scratch namespace, or in place), with their repository Secrets from the vault, then waited for
// until VolSync reports this run's sync; reports each claim restored and how long it took.
import { CloudError } from '@personal-cloud/cluster';
import { openWorld } from '@personal-cloud/infra';
import { chooseClusterApi } from '../cluster/choose-cluster-api';
import { loadConfig, readTokens } from '../k8s-apps-inputs';
import { applyChangedSecrets } from '../provision/apply-changed-secrets';
import { secretValues } from '../provision/secret-values';
import type { RunClock } from '../provision/wait-kustomizations';
import { renderTree } from '../render/render-tree';
import { planRestore, type RestorePlan, type RestoreRequest } from './plan-restore';

export interface RestoreRun {
  env?: NodeJS.ProcessEnv;
  clock: RunClock;
  request: Omit<RestoreRequest, 'trigger'>;
  timeoutMs?: number;
  pollMs?: number;
}

export interface RestoreResult {
  plan: RestorePlan;
  /** Per destination: where the data now is, and when VolSync's sync ended. */
  restored: { claim: string; namespace: string; capacity: string; message: string; lastSyncTime: string }[];
  /** From apply to the last sync's end, on the run's clock. */
  durationMs: number;
}

export async function restoreApp(run: RestoreRun): Promise<RestoreResult> {
  const env = run.env ?? process.env;
  const config = await loadConfig(env);
  const tree = renderTree(config);
  const started = run.clock.now();
  const plan = planRestore(config, tree, { ...run.request, trigger: `restore-${started}` });
  const secrets = secretValues(plan.secrets, await readTokens(env), { knownHosts: '' });
  const world = await openWorld(env);
  try {
    const api = await chooseClusterApi(world.endpoint, {
      gitopsUrl: config.gitops?.url ?? '',
      readTokens: () => readTokens(env),
      clock: run.clock,
      env,
    });
    try {
      if (plan.objects.some((o) => o.kind === 'Namespace'))
        await api.apply(plan.objects.filter((o) => o.kind === 'Namespace'));
      await applyChangedSecrets(api, secrets);
      await api.apply(plan.objects.filter((o) => o.kind !== 'Namespace'));
      const deadline = started + (run.timeoutMs ?? 60 * 60_000);
      const restored: RestoreResult['restored'] = [];
      for (const destination of plan.destinations) {
        for (;;) {
          const status = await api.replicationDestination(plan.namespace, destination.name);
          if (status?.lastManualSync === `restore-${started}` && status.lastSyncTime) {
            if (status.result === 'Failed')
              throw new CloudError(
                `the restore of ${run.request.app}'s claim ${destination.claim} into ${plan.namespace} failed: ${status.message}.`,
              );
            restored.push({
              claim: destination.claim,
              namespace: plan.namespace,
              capacity: destination.capacity,
              message: status.message,
              lastSyncTime: status.lastSyncTime,
            });
            break;
          }
          if (run.clock.now() >= deadline)
            throw new CloudError(
              `the restore of ${run.request.app}'s claim ${destination.claim} into ${plan.namespace} has not finished after ${Math.round((run.timeoutMs ?? 3_600_000) / 1000)} s; ReplicationDestination ${plan.namespace}/${destination.name} is still syncing.`,
            );
          await run.clock.sleep(run.pollMs ?? 1000);
        }
      }
      return { plan, restored, durationMs: run.clock.now() - started };
    } finally {
      await api.close();
    }
  } finally {
    await world.close();
  }
}
