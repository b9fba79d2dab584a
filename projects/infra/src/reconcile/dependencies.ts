// Which change waits for which: creations after what they need, deletions after whatever
// still holds on to the resource. Everything else runs in parallel.
import { KINDS } from './kinds';
import type { Change, Plan } from './plan-types';

export function changeDependencies(plan: Plan): Map<string, string[]> {
  const byKey = new Map(plan.changes.map((c) => [c.key, c]));
  const builds = (c: Change | undefined) => c !== undefined && c.action !== 'delete';
  const removes = (c: Change) => c.action === 'delete' || c.action === 'replace';
  // Who holds whom, among the resources this plan removes.
  const heldBy = new Map<string, string[]>();
  for (const c of plan.changes)
    if (removes(c) && c.observed)
      for (const held of KINDS[c.type].holds(c.observed)) heldBy.set(held, [...(heldBy.get(held) ?? []), c.key]);

  return new Map(
    plan.changes.map((c) => {
      const after = new Set<string>();
      if (c.desired && c.action !== 'delete')
        for (const need of KINDS[c.type].needs(c.desired, c.action === 'update' ? 'update' : 'create', c.differences))
          if (need !== c.key && builds(byKey.get(need))) after.add(need);
      if (removes(c)) for (const holder of heldBy.get(c.key) ?? []) if (holder !== c.key) after.add(holder);
      return [c.key, [...after]];
    }),
  );
}
