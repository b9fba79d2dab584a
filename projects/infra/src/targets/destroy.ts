// infra:destroy — every resource labelled with the cluster's name, deleted in reverse
// dependency order, then a sweep that proves nothing is left.
import { confirmDestroy, loadClusterConfig, type TargetArgs } from '@personal-cloud/cluster';
import { destroyInfra } from '../provision';
import { formatPlan } from '../ui/format-plan';

export const options = { yes: { type: 'boolean' } } as const;

export async function run({ values, stop }: TargetArgs): Promise<void> {
  const { name } = await loadClusterConfig();
  await confirmDestroy(name, 'every Hetzner resource', values.yes);
  const result = await destroyInfra({ env: process.env, stop, onPlan: (plan) => console.log(formatPlan(plan)) });
  // The last round listed every type by the cluster's labels and found nothing: that is the sweep.
  console.log(
    `Destroyed ${result.plan.changes.length} resource(s). Sweep: no resource labelled ${result.selector} remains.`,
  );
}
