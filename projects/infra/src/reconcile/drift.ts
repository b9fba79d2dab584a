// Drift: the live API against what the last run left (state) and what the config asks for.
// The spec hash in state tells a change made outside the tool (the config did not move, the
// cloud did) from a change still to be applied (the config moved since the last run).
import type { DesiredResource } from '@personal-cloud/cluster';
import { specHash, type InfraState } from '../state/infra-state';
import { describeDifference } from './kind';
import { KINDS } from './kinds';
import { observedKey, type Observed } from './observed';

export type DriftKind = 'changed-outside' | 'deleted-outside' | 'replaced-outside' | 'created-outside' | 'pending';

export interface DriftEntry {
  key: string;
  kind: DriftKind;
  detail: string;
}

export function driftReport(desired: DesiredResource[], observed: Observed[], state: InfraState): DriftEntry[] {
  const live = new Map(observed.map((o) => [observedKey(o), o]));
  const exists = (key: string) => live.has(key);
  const entries: DriftEntry[] = [];
  for (const d of desired) {
    const key = observedKey(d);
    const o = live.get(key);
    const recorded = state.resources[key];
    if (!o) {
      entries.push(
        recorded
          ? { key, kind: 'deleted-outside', detail: `was ${recorded.id}, no longer exists` }
          : { key, kind: 'pending', detail: 'not created yet' },
      );
      continue;
    }
    if (recorded && recorded.id !== o.id)
      entries.push({ key, kind: 'replaced-outside', detail: `was ${recorded.id}, now ${o.id}` });
    else if (!recorded)
      entries.push({
        key,
        kind: 'created-outside',
        detail: `${o.id} carries the cluster's labels but is not in state (adopted on the next provision)`,
      });
    const verdict = KINDS[d.type].diff(d, o, exists);
    if (verdict.action === 'none') continue;
    const what = verdict.differences.map(describeDifference).join('; ');
    const configMoved = !recorded || recorded.specHash !== specHash(d);
    entries.push({ key, kind: configMoved ? 'pending' : 'changed-outside', detail: what });
  }
  const wanted = new Set(desired.map(observedKey));
  for (const o of observed) {
    const key = observedKey(o);
    if (wanted.has(key)) continue;
    entries.push(
      state.resources[key]
        ? { key, kind: 'pending', detail: `${o.id} is no longer desired (an orphan; provision --prune deletes it)` }
        : {
            key,
            kind: 'created-outside',
            detail: `${o.id} carries the cluster's labels but was never created by provision`,
          },
    );
  }
  return entries;
}
