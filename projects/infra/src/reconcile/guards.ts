// Principle 4: a plan that deletes or replaces a volume, or a server holding one, runs only
// when the operator names it. Checked before any write.
import { CloudError } from '@personal-cloud/cluster';
import type { Plan } from './plan-types';

/** Accepts the Hetzner name (`personal-cloud-worker-5`) or the cluster's own (`worker-5`). */
function allowed(name: string, cluster: string, allowDestroy: readonly string[]): boolean {
  return allowDestroy.some((a) => a === name || `${cluster}-${a}` === name);
}

export function blockedChanges(plan: Plan, cluster: string, allowDestroy: readonly string[]) {
  return plan.changes.filter(
    (c) =>
      c.destroysData && (c.action === 'delete' || c.action === 'replace') && !allowed(c.name, cluster, allowDestroy),
  );
}

export function guardPlan(plan: Plan, cluster: string, allowDestroy: readonly string[]): void {
  const blocked = blockedChanges(plan, cluster, allowDestroy);
  if (!blocked.length) return;
  const flags = blocked
    .map((c) => `--allow-destroy=${c.name.startsWith(`${cluster}-`) ? c.name.slice(cluster.length + 1) : c.name}`)
    .join(' ');
  throw new CloudError(
    `the plan would ${blocked.map((c) => `${c.action} ${c.type} ${c.name} (${c.destroysData})`).join(', ')}; nothing was changed. If that is what you want, run again with ${flags}.`,
  );
}
