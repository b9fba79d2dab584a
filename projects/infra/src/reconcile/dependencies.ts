// Which change waits for which: creations after what they need; deletions after every change
// of whatever still holds on to the resource (a server being deleted, or being made to let go);
// and changes that interrupt a server one after another within its role, so a control plane
// never loses more than one node at a time. Everything else runs in parallel.
import { KINDS } from './kinds';
import type { Change, Plan } from './plan-types';

export function changeDependencies(plan: Plan): Map<string, string[]> {
  const byKey = new Map(plan.changes.map((c) => [c.key, c]));
  const builds = (c: Change | undefined) => c !== undefined && c.action !== 'delete';
  const removes = (c: Change) => c.action === 'delete' || c.action === 'replace';
  // Who holds whom, among the resources this plan changes.
  const heldBy = new Map<string, string[]>();
  for (const c of plan.changes)
    if (c.observed)
      for (const held of KINDS[c.type].holds(c.observed)) heldBy.set(held, [...(heldBy.get(held) ?? []), c.key]);
  const previousDisruption = disruptionChains(plan);

  return new Map(
    plan.changes.map((c) => {
      const after = new Set<string>();
      if (c.desired && c.action !== 'delete')
        for (const need of KINDS[c.type].needs(c.desired, c.action === 'update' ? 'update' : 'create', c.differences))
          if (need !== c.key && builds(byKey.get(need))) after.add(need);
      if (removes(c)) for (const holder of heldBy.get(c.key) ?? []) if (holder !== c.key) after.add(holder);
      const previous = previousDisruption.get(c.key);
      if (previous) after.add(previous);
      return [c.key, [...after]];
    }),
  );
}

/** For each disruptive change, the disruptive change of the same type and role just before it. */
function disruptionChains(plan: Plan): Map<string, string> {
  const last = new Map<string, string>();
  const previous = new Map<string, string>();
  for (const c of plan.changes) {
    if (!c.interrupts) continue;
    const group = `${c.type}/${c.desired?.labels.role ?? c.observed?.labels.role ?? ''}`;
    const before = last.get(group);
    if (before) previous.set(c.key, before);
    last.set(group, c.key);
  }
  return previous;
}
