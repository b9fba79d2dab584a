// Principle 4: a plan that deletes or replaces a volume, or a server holding one, runs only
// when the operator names it. Checked before any write.
import { CloudError, hetznerName } from '@personal-cloud/cluster';
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

/**
 * A server that hosts has deployed as a k3s node is deleted only after hosts has decommissioned
 * it (drained it and removed its etcd member), which hosts does not do yet: until then a prune
 * that would delete one is refused, whatever --allow-destroy says. Deleting a control-plane
 * server undrained and still in etcd could take the cluster's quorum with it.
 */
export function guardDeployedServers(plan: Plan, cluster: string, deployedNodes: readonly string[]): void {
  const doomed = deployedNodes.filter((node) =>
    plan.changes.some((c) => c.type === 'server' && c.action === 'delete' && c.name === hetznerName(cluster, node)),
  );
  if (!doomed.length) return;
  throw new CloudError(
    `the plan would delete the server(s) of ${doomed.join(', ')}, which the hosts layer runs as k3s node(s); a server is deleted only after hosts drained it and removed it from etcd, which it does not do yet, so nothing was changed. Keep the phase, or tear the whole cloud down with \`npx nx run infra:destroy\`.`,
  );
}
