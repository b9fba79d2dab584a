// infra:provision — reconcile Hetzner with the config, writing state as resources come to exist.
import { CloudError, type TargetArgs } from '@personal-cloud/cluster';
import { withHcloud } from '../hcloud-session';
import { loadInfraInputs } from '../infra-inputs';
import { reconcile } from '../reconcile/reconcile';
import { summarize } from '../reconcile/plan-types';
import { InfraBook } from '../state/infra-book';
import { StateRecorder } from '../state/state-recorder';
import { formatPlan } from '../ui/format-plan';
import { createProgress } from '../ui/progress';
import { writePlan } from './plan';

export const options = {
  prune: { type: 'boolean' },
  'allow-destroy': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
} as const;

/** `--allow-destroy=a,b --allow-destroy=c` → [a, b, c]. */
export function namesOf(value: TargetArgs['values'][string]): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export async function run({ values }: TargetArgs): Promise<void> {
  const concurrency = values.concurrency === undefined ? 10 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 50) throw new CloudError(`--concurrency must be a whole number from 1 to 50, not "${values.concurrency}".`);
  const { config, vault, desired, nodes } = await loadInfraInputs();
  const started = Date.now();
  await vault.withLock(`infra provision of ${config.name}`, async (session) => {
    const recorder = new StateRecorder(session);
    const progress = createProgress();
    try {
      const result = await withHcloud(process.env, (client) =>
        reconcile({
          client,
          cluster: config.name,
          desired,
          book: new InfraBook(recorder, desired, nodes),
          progress,
          prune: values.prune === true,
          allowDestroy: namesOf(values['allow-destroy']),
          concurrency,
          onPlan: (plan, round) => {
            if (round === 1) console.log(formatPlan(plan));
          },
        }),
      );
      await writePlan(result.plan);
      if (!result.plan.changes.length) console.log(formatPlan(result.plan));
      else {
        const s = summarize(result.plan);
        console.log(`Applied: ${s.create} created, ${s.update} updated, ${s.replace} replaced, ${s.delete} deleted in ${((Date.now() - started) / 1000).toFixed(1)}s (${result.rounds - 1} round${result.rounds === 2 ? '' : 's'}).`);
      }
    } finally {
      progress.close();
      await recorder.flush();
    }
  });
}
