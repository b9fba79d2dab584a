// infra:destroy — every resource labelled with the cluster's name, deleted in reverse
// dependency order, then a sweep that proves nothing is left.
import { createInterface } from 'node:readline/promises';
import { CloudError, clusterSelector, type TargetArgs } from '@personal-cloud/cluster';
import { withHcloud } from '../hcloud-session';
import { openConfigAndVault } from '../infra-inputs';
import { reconcile } from '../reconcile/reconcile';
import { InfraBook } from '../state/infra-book';
import { StateRecorder } from '../state/state-recorder';
import { formatPlan } from '../ui/format-plan';
import { createProgress } from '../ui/progress';

export const options = { yes: { type: 'boolean' } } as const;

async function confirm(cluster: string): Promise<void> {
  if (!process.stdin.isTTY)
    throw new CloudError(`destroy deletes every resource of cluster ${cluster}, volumes included: pass --yes to confirm (no terminal to ask on).`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`This deletes every Hetzner resource labelled cluster=${cluster}, volumes and their data included.\nType the cluster name to confirm: `);
  rl.close();
  if (answer.trim() !== cluster) throw new CloudError(`"${answer.trim()}" is not "${cluster}"; nothing was destroyed.`);
}

export async function run({ values }: TargetArgs): Promise<void> {
  const { config, vault, nodes } = await openConfigAndVault();
  if (values.yes !== true) await confirm(config.name);
  await vault.withLock(`infra destroy of ${config.name}`, async (session) => {
    const recorder = new StateRecorder(session);
    const progress = createProgress();
    try {
      const result = await withHcloud(process.env, (client) =>
        reconcile({
          client,
          cluster: config.name,
          desired: [],
          book: new InfraBook(recorder, [], nodes),
          progress,
          prune: true,
          allowDestroy: [],
          guard: false,
          onPlan: (plan, round) => {
            if (round === 1) console.log(formatPlan(plan));
          },
        }),
      );
      // The last round listed every type by the cluster's labels and found nothing: that is the sweep.
      console.log(`Destroyed ${result.plan.changes.length} resource(s). Sweep: no resource labelled ${clusterSelector(config.name)} remains.`);
    } finally {
      progress.close();
      await recorder.flush();
    }
  });
}
