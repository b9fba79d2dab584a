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

/** A node hosts' state lists as deployed, with its k3s role. */
export interface DeployedNode {
  node: string;
  role: 'server' | 'agent';
}

/**
 * A server that hosts has deployed as a k3s node is deleted only after hosts has decommissioned
 * it, whatever --allow-destroy says: hosts then drops it from its `deployed` (a worker: drained,
 * its node object deleted). Deleting a worker undrained kills its workloads; a control-plane
 * server still in etcd could take the cluster's quorum with it, and hosts never removes one.
 */
export function guardDeployedServers(plan: Plan, cluster: string, deployedNodes: readonly DeployedNode[]): void {
  const doomed = deployedNodes.filter(({ node }) =>
    plan.changes.some((c) => c.type === 'server' && c.action === 'delete' && c.name === hetznerName(cluster, node)),
  );
  if (!doomed.length) return;
  const names = (role: string) => doomed.filter((d) => d.role === role).map((d) => d.node);
  const [servers, workers] = [names('server'), names('agent')];
  const one = (list: string[], singular: string, plural: string) =>
    `${list.join(', ')} ${list.length === 1 ? `is ${singular}` : `are ${plural}`}`;
  const reasons = [
    ...(servers.length
      ? [
          `${one(servers, 'a k3s control-plane node', 'k3s control-plane nodes')}, which hosts never removes (a phase with fewer is refused): keep the phase, or tear the whole cloud down with \`npx nx run infra:destroy\``,
        ]
      : []),
    ...(workers.length
      ? [
          `${one(workers, 'a k3s worker', 'k3s workers')} not decommissioned yet: run \`npx nx run hosts:provision\` (it drains each and deletes its node object), then prune again`,
        ]
      : []),
  ];
  throw new CloudError(
    `the plan would delete the server(s) of ${doomed.map((d) => d.node).join(', ')}, which the hosts layer runs; nothing was changed. ${reasons.join('; ')}.`,
  );
}
