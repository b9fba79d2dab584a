// hosts:plan — per node install, rebuild, skip or a migration step, in provision's order, with
// etcd's quorum after each control-plane step; dist/hosts/plan.json and a readable summary.
import { mkdir, writeFile } from 'node:fs/promises';
import { CloudError, type TargetArgs } from '@personal-cloud/cluster';
import { DEFAULT_MAX_PARALLEL, type HostsPlan } from '../plan/plan-hosts';
import { formatHostsPlan } from '../plan/format-hosts-plan';
import { planHostsRun } from '../provision/provision-hosts';

export const PLAN_JSON = 'dist/hosts/plan.json';
export const options = { 'max-parallel': { type: 'string' } } as const;

export async function writeHostsPlan(plan: HostsPlan): Promise<void> {
  await mkdir('dist/hosts', { recursive: true });
  await writeFile(PLAN_JSON, `${JSON.stringify(plan, null, 2)}\n`);
}

/** hosts.maxParallel from `--max-parallel`, default 2. */
export function maxParallelOf(values: TargetArgs['values']): number {
  const raw = values['max-parallel'];
  if (raw === undefined) return DEFAULT_MAX_PARALLEL;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 50)
    throw new CloudError(`--max-parallel must be a whole number from 1 to 50, not "${String(raw)}".`);
  return value;
}

export async function run({ values }: TargetArgs): Promise<void> {
  const { plan } = await planHostsRun({ maxParallel: maxParallelOf(values), from: 'slice' });
  await writeHostsPlan(plan);
  console.log(formatHostsPlan(plan));
}
