// hosts:provision — installs new servers, rebuilds changed ones and skips the rest, in the plan's
// order; stops at the first failing node, naming it; a rerun resumes from there.
import type { TargetArgs } from '@personal-cloud/cluster';
import { formatHostsPlan } from '../plan/format-hosts-plan';
import { plannedSteps } from '../plan/plan-hosts';
import { provisionHosts } from '../provision/provision-hosts';
import { maxParallelOf, options as planOptions, writeHostsPlan } from './plan';

export const options = planOptions;

export async function run({ values, stop }: TargetArgs): Promise<void> {
  const started = Date.now();
  const { plan, deployed } = await provisionHosts({ maxParallel: maxParallelOf(values), stop });
  await writeHostsPlan(plan);
  if (!plannedSteps(plan)) return console.log(formatHostsPlan(plan));
  console.log(formatHostsPlan(plan));
  console.log(
    `hosts: ${deployed.length} node(s) deployed and Ready in ${((Date.now() - started) / 1000).toFixed(1)}s.`,
  );
}
