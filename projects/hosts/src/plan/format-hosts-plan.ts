// The hosts plan as the operator reads it: per node its action and why, control-plane steps with
// etcd's quorum after them, then the order. Pure.
import type { QuorumState } from './etcd-quorum';
import { plannedSteps, type HostsPlan } from './plan-hosts';

const quorumText = (q: QuorumState) => `etcd ${q.up}/${q.members} up${q.quorum ? '' : ', NO QUORUM'}`;

export function formatHostsPlan(plan: HostsPlan): string {
  const notices = plan.notices.map((notice) => `  notice: ${notice}`);
  if (!plannedSteps(plan) && !plan.refused && !plan.pending.length)
    return [`hosts: no changes: all ${plan.nodes.length} node(s) run their configuration.`, ...notices].join('\n');
  const lines = [
    `hosts: phase ${plan.phase} of ${plan.cluster}: ${plannedSteps(plan)} machine step(s) for ${plan.nodes.length} node(s)`,
  ];
  const width = Math.max(8, ...plan.nodes.map((n) => n.action.length));
  for (const node of plan.nodes) {
    const etcd = node.etcd
      ? `  (${node.etcd.during.up < node.etcd.during.members ? `during: ${quorumText(node.etcd.during)}; ` : ''}after: ${quorumText(node.etcd.after)})`
      : '';
    lines.push(
      `  ${node.action.padEnd(width)} ${node.node.padEnd(12)} k3s ${node.role.padEnd(6)} ${node.reason}${etcd}`,
    );
  }
  for (const [i, wave] of plan.waves.entries()) lines.push(`  ${i + 1}. ${wave.title}: ${wave.nodes.join(', ')}`);
  if (plan.pending.length) lines.push(`  pending (infra has not created them yet): ${plan.pending.join(', ')}`);
  if (plan.refused) lines.push(`  refused: ${plan.refused}.`);
  return [...lines, ...notices].join('\n');
}
