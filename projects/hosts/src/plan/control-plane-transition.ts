// How etcd's membership moves from the servers that are members now to the servers a phase
// wants, and whether that can be done without losing quorum. Pure.
import { firstQuorumLoss, quorumThrough, type MembershipChange, type QuorumStep } from './etcd-quorum';

export type ControlPlaneTransition =
  | { ok: true; changes: MembershipChange[]; steps: QuorumStep[]; leaving: string[] }
  | { ok: false; reason: string };

/**
 * New servers join one at a time; a member the phase no longer has as a server (phase 1's node
 * in phase 2) leaves only after all of them joined, removed from another member. A control plane
 * that would shrink (any move to a lower phase that drops servers) is refused: etcd would pass
 * through member counts the plan cannot keep a majority in, and the workloads of the removed
 * servers have nowhere planned to go.
 */
export function controlPlaneTransition(
  members: readonly string[],
  desiredServers: readonly string[],
): ControlPlaneTransition {
  const joining = desiredServers.filter((s) => !members.includes(s));
  const leaving = members.filter((m) => !desiredServers.includes(m));
  if (members.length && desiredServers.length < members.length)
    return {
      ok: false,
      reason: `the control plane would shrink from ${members.length} etcd member(s) (${members.join(', ')}) to ${desiredServers.length} (${desiredServers.join(', ') || 'none'}); moving to a phase with fewer control-plane nodes is refused: keep the phase, or rebuild the cluster from backups`,
    };
  const changes: MembershipChange[] = [
    ...joining.map((node) => ({ kind: 'add' as const, node })),
    ...leaving.map((node) => ({ kind: 'remove' as const, node })),
  ];
  const steps = quorumThrough(members, changes);
  const loss = firstQuorumLoss(steps);
  if (loss)
    return {
      ok: false,
      reason: `${loss.change.kind} ${loss.change.node} would leave etcd with ${loss.after.up} of ${loss.after.members} member(s) up, no majority`,
    };
  return { ok: true, changes, steps, leaving };
}
