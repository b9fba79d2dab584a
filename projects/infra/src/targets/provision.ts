// infra:provision — reconcile Hetzner with the config, writing state as resources come to exist.
import { CloudError, type TargetArgs } from '@personal-cloud/cluster';
import { provisionInfra } from '../provision';
import { summarize } from '../reconcile/plan-types';
import { formatPlan } from '../ui/format-plan';
import { writePlan } from './plan';

export const options = {
  prune: { type: 'boolean' },
  'allow-destroy': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
} as const;

/** `--allow-destroy=a,b --allow-destroy=c` → [a, b, c]. */
export function namesOf(value: TargetArgs['values'][string]): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export async function run({ values, stop }: TargetArgs): Promise<void> {
  const concurrency = values.concurrency === undefined ? 10 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 50)
    throw new CloudError(`--concurrency must be a whole number from 1 to 50, not "${values.concurrency}".`);
  const started = Date.now();
  const result = await provisionInfra({
    env: process.env,
    prune: values.prune === true,
    allowDestroy: namesOf(values['allow-destroy']),
    concurrency,
    stop,
    onPlan: (plan) => console.log(formatPlan(plan)),
  });
  await writePlan(result.plan);
  if (!result.plan.changes.length) return console.log(formatPlan(result.plan));
  const s = summarize(result.plan);
  const retries = result.rounds - 2;
  console.log(
    `Applied: ${s.create} created, ${s.update} updated, ${s.replace} replaced, ${s.delete} deleted in ${((Date.now() - started) / 1000).toFixed(1)}s${retries > 0 ? ` (${retries} retry round${retries === 1 ? '' : 's'})` : ''}.`,
  );
}
