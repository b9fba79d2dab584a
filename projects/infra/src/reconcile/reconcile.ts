// Reconciling is rounds of observe → plan → guard → apply until a plan comes back empty.
// A round that fails for a reason the world can outgrow (a failed action, a lost answer) is
// followed by another made from what exists then; nothing is created twice, because what
// exists is found by its labels before anything is made.
import { CloudError, type DesiredResource } from '@personal-cloud/cluster';
import type { HcloudClient } from '../hcloud/client';
import type { InfraBook } from '../state/infra-book';
import type { Progress } from '@personal-cloud/layer-kit';
import { applyPlan, isFatal } from './apply-plan';
import { guardDeployedServers, guardPlan, type DeployedNode } from './guards';
import { listCluster } from './list-cluster';
import { observe, type Observed } from './observed';
import { planChanges } from './plan-changes';
import type { Plan } from './plan-types';

export interface ReconcileOptions {
  client: HcloudClient;
  cluster: string;
  desired: DesiredResource[];
  book: InfraBook;
  progress: Progress;
  prune: boolean;
  allowDestroy: readonly string[];
  /** Off only for destroy, which the operator confirmed as a whole. */
  guard?: boolean;
  /** Nodes the hosts layer has deployed and not decommissioned (its state's `deployed`): their servers are never pruned. */
  deployedNodes?: readonly DeployedNode[];
  concurrency?: number;
  maxRounds?: number;
  /** Called with each round's plan before it is applied. */
  onPlan?: (plan: Plan, round: number) => void;
}

export interface ReconcileResult {
  /** The first round's plan: what this run set out to change. */
  plan: Plan;
  rounds: number;
  observed: Observed[];
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const { client, cluster, desired, book, progress } = options;
  const maxRounds = options.maxRounds ?? 6;
  let first: Plan | undefined;
  let lastFailure: unknown;
  for (let round = 1; ; round++) {
    const observed = observe(await listCluster(client, cluster));
    const plan = planChanges(desired, observed, { prune: options.prune });
    first ??= plan;
    if (options.guard !== false) {
      guardDeployedServers(plan, cluster, options.deployedNodes ?? []);
      guardPlan(plan, cluster, options.allowDestroy);
    }
    if (!plan.changes.length) {
      book.syncWith(observed);
      return { plan: first, rounds: round, observed };
    }
    if (round > maxRounds)
      throw new CloudError(
        `the cloud did not converge after ${maxRounds} rounds; ${plan.changes.length} change(s) remain (${plan.changes.map((c) => `${c.action} ${c.key}`).join(', ')}); last error: ${messageOf(lastFailure)}`,
      );
    options.onPlan?.(plan, round);
    if (round > 1)
      progress.log(
        `round ${round}: ${plan.changes.length} change(s) left after failures, retrying from what exists now`,
      );
    const outcomes = await applyPlan(plan, {
      client,
      observed,
      book,
      progress,
      concurrency: options.concurrency ?? 10,
    });
    const failures = outcomes.flatMap((o) => (o.status === 'failed' ? [o.error] : []));
    const fatal = failures.find(isFatal);
    if (fatal) throw fatal;
    lastFailure = failures[0] ?? lastFailure;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error ?? 'none');
}
