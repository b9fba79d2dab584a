// Provision and destroy as functions of an environment, so the targets and the tests run the
// very same code: the targets pass process.env, the tests an env of temp dirs and a sandbox.
import { clusterSelector } from '@personal-cloud/cluster';
import type { State } from '@personal-cloud/vault';
import type { HcloudClientOptions } from './hcloud/client';
import { withHcloud } from './hcloud-session';
import { loadInfraInputs, openConfigAndVault } from './infra-inputs';
import type { DeployedNode } from './reconcile/guards';
import type { Plan } from './reconcile/plan-types';
import { reconcile, type ReconcileResult } from './reconcile/reconcile';
import { InfraBook } from './state/infra-book';
import { stopAtSafePoint } from './stop-at-safe-point';
import { createProgress, StateRecorder, type Progress } from '@personal-cloud/layer-kit';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  progress?: Progress;
  concurrency?: number;
  /** Called with the first round's plan before anything is applied. */
  onPlan?: (plan: Plan) => void;
  /** Client settings for tests (shorter retry delays). */
  client?: Partial<HcloudClientOptions>;
  /** Aborted to stop at a safe point (see stop-at-safe-point.ts). */
  stop?: AbortSignal;
}

export interface ProvisionOptions extends RunOptions {
  prune?: boolean;
  allowDestroy?: readonly string[];
}

export async function provisionInfra(options: ProvisionOptions): Promise<ReconcileResult> {
  const { config, vault, desired, nodes } = await loadInfraInputs(options.env);
  return vault.withLock(`infra provision of ${config.name}`, async (session) => {
    const recorder = new StateRecorder(session);
    const deployedNodes = hostsDeployedNodes(await session.read('state'));
    const progress = options.progress ?? createProgress();
    try {
      return await withHcloud(
        options.env,
        (client) =>
          reconcile({
            client,
            cluster: config.name,
            desired,
            book: new InfraBook(recorder, desired, nodes),
            progress,
            prune: options.prune ?? false,
            allowDestroy: options.allowDestroy ?? [],
            deployedNodes,
            concurrency: options.concurrency,
            onPlan: (plan, round) => round === 1 && options.onPlan?.(plan),
          }),
        stopAtSafePoint(options.client, options.stop),
      );
    } finally {
      progress.close();
      await recorder.flush();
    }
  });
}

/** Deletes everything labelled with the cluster's name; the caller has the operator's confirmation. */
export async function destroyInfra(options: RunOptions): Promise<ReconcileResult & { selector: string }> {
  const { config, vault, nodes } = await openConfigAndVault(options.env);
  return vault.withLock(`infra destroy of ${config.name}`, async (session) => {
    const recorder = new StateRecorder(session);
    const progress = options.progress ?? createProgress();
    try {
      const result = await withHcloud(
        options.env,
        (client) =>
          reconcile({
            client,
            cluster: config.name,
            desired: [],
            book: new InfraBook(recorder, [], nodes),
            progress,
            prune: true,
            allowDestroy: [],
            guard: false,
            concurrency: options.concurrency,
            onPlan: (plan, round) => round === 1 && options.onPlan?.(plan),
          }),
        stopAtSafePoint(options.client, options.stop),
      );
      return { ...result, selector: clusterSelector(config.name) };
    } finally {
      progress.close();
      await recorder.flush();
    }
  });
}

/**
 * The nodes hosts' state lists as deployed (`layers.hosts.deployed`), with their k3s role. Read by
 * key, without the hosts layer's code, which comes after infra: a node hosts has decommissioned is
 * no longer there, so its server may be pruned.
 */
function hostsDeployedNodes(state: State): DeployedNode[] {
  const hosts = state.layers.hosts as { deployed?: unknown } | undefined;
  if (!hosts?.deployed || typeof hosts.deployed !== 'object') return [];
  return Object.entries(hosts.deployed as Record<string, { role?: unknown }>).map(([node, deployed]) => ({
    node,
    role: deployed?.role === 'agent' ? 'agent' : 'server',
  }));
}
