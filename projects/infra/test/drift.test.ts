import { describe, expect, it } from 'vitest';
import { driftReport } from '../src/reconcile/drift';
import type { ObservedServer } from '../src/reconcile/observed';
import { specHash, type InfraState } from '../src/state/infra-state';
import { desiredFor, observedTwin } from './fixtures';

const stateOf = (desired: ReturnType<typeof desiredFor>, observed: ReturnType<typeof observedTwin>): InfraState => ({
  resources: Object.fromEntries(
    observed.map((o) => [
      `${o.type}/${o.name}`,
      { id: o.id, specHash: specHash(desired.find((d) => d.name === o.name && d.type === o.type)!) },
    ]),
  ),
});

describe('drift', () => {
  it('finds nothing when the cloud is as the last run left it', () => {
    const desired = desiredFor(2);
    const observed = observedTwin(desired);
    expect(driftReport(desired, observed, stateOf(desired, observed))).toEqual([]);
  });

  it('tells changes made outside from config changes still pending', () => {
    const desired = desiredFor(2);
    const observed = observedTwin(desired);
    const state = stateOf(desired, observed);
    (observed.find((o) => o.name === 'pc-master-2') as ObservedServer).serverType = 'cpx21';
    const gone = observed.findIndex((o) => o.name === 'pc-master-3');
    const deleted = observed.splice(gone, 1)[0]!;
    observed.push({
      ...observedTwin(desiredFor(2)).find((o) => o.name === 'pc-master-1')!,
      id: 999,
      name: 'pc-extra',
      labels: { cluster: 'pc' },
    } as ObservedServer);
    const moved = desiredFor(2, (c) => (c.pools[1].serverType = 'cpx11'));
    const report = driftReport(moved, observed, state);
    expect(report).toContainEqual({
      key: 'server/pc-master-2',
      kind: 'changed-outside',
      detail: 'server_type cpx21 → cpx11',
    });
    expect(report).toContainEqual({
      key: 'server/pc-master-3',
      kind: 'deleted-outside',
      detail: `was ${deleted.id}, no longer exists`,
    });
    expect(report).toContainEqual({
      key: 'server/pc-extra',
      kind: 'created-outside',
      detail: "999 carries the cluster's labels but was never created by provision",
    });
    expect(report).toContainEqual({ key: 'server/pc-worker-1', kind: 'pending', detail: 'server_type ccx23 → cpx11' });
  });
});
