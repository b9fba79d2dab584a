// etcd's arithmetic for the plan: how many members there are and how many are up after each
// control-plane step, and whether a sequence of membership changes ever lacks a majority. Pure.

export interface QuorumState {
  members: number;
  up: number;
  /** More than half of the members are up. */
  quorum: boolean;
}

export function quorumOf(members: number, up: number): QuorumState {
  return { members, up, quorum: members > 0 && up * 2 > members };
}

export type MembershipChange = { kind: 'add' | 'remove' | 'restart'; node: string };

export interface QuorumStep {
  change: MembershipChange;
  /** While the step runs (a restarting member is down meanwhile). */
  during: QuorumState;
  after: QuorumState;
}

/**
 * The quorum through a sequence of changes, starting from `members` all up. A member being added
 * counts as up once it joined; a restart takes its member down while it runs; a remove happens
 * from another, healthy member.
 */
export function quorumThrough(members: readonly string[], changes: readonly MembershipChange[]): QuorumStep[] {
  const current = new Set(members);
  return changes.map((change) => {
    let during: QuorumState;
    if (change.kind === 'add') {
      current.add(change.node);
      during = quorumOf(current.size, current.size);
    } else if (change.kind === 'remove') {
      during = quorumOf(current.size, current.size);
      current.delete(change.node);
    } else during = quorumOf(current.size, current.size - 1);
    return { change, during, after: quorumOf(current.size, current.size) };
  });
}

/** The first step that leaves etcd without a majority, if any. */
export function firstQuorumLoss(steps: readonly QuorumStep[]): QuorumStep | undefined {
  return steps.find((step) => !step.during.quorum || !step.after.quorum);
}
