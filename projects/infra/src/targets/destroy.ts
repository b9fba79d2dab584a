// infra:destroy — every resource labelled with the cluster's name, deleted in reverse
// dependency order, then a sweep that proves nothing is left.
import { createInterface } from 'node:readline/promises';
import { CloudError, loadClusterConfig, type TargetArgs } from '@personal-cloud/cluster';
import { destroyInfra } from '../provision';
import { formatPlan } from '../ui/format-plan';

export const options = { yes: { type: 'boolean' } } as const;

async function confirm(cluster: string): Promise<void> {
  if (!process.stdin.isTTY)
    throw new CloudError(
      `destroy deletes every resource of cluster ${cluster}, volumes included: pass --yes to confirm (there is no terminal to ask on).`,
    );
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(
    `This deletes every Hetzner resource labelled cluster=${cluster}, volumes and their data included.\nType the cluster name to confirm: `,
  );
  rl.close();
  if (answer.trim() !== cluster) throw new CloudError(`"${answer.trim()}" is not "${cluster}"; nothing was destroyed.`);
}

export async function run({ values, stop }: TargetArgs): Promise<void> {
  if (values.yes !== true) await confirm((await loadClusterConfig()).name);
  const result = await destroyInfra({ env: process.env, stop, onPlan: (plan) => console.log(formatPlan(plan)) });
  // The last round listed every type by the cluster's labels and found nothing: that is the sweep.
  console.log(
    `Destroyed ${result.plan.changes.length} resource(s). Sweep: no resource labelled ${result.selector} remains.`,
  );
}
