// builder:plan's decision, pure: what provision would do to Oxygen for each state it may be in.
import { describe, expect, it } from 'vitest';
import { formatOxygenPlan, planOxygen, type OxygenPlanInput } from '../src/plan/plan-oxygen';
import type { OxygenProbe } from '../src/provision/oxygen-executor';

const probe = (change: Partial<OxygenProbe> = {}): OxygenProbe => ({
  generation: 'a'.repeat(64),
  container: { running: true },
  runsAs: 'unit',
  nixVersion: 'nix (Nix) 2.24.9',
  nixFreeBytes: 100 * 1024 ** 3,
  k3s: { role: 'agent', ready: true, labels: {}, taints: [] },
  lastPushAgeSeconds: 10,
  ...change,
});
const input = (change: Partial<OxygenPlanInput> = {}): OxygenPlanInput => ({
  name: 'oxygen',
  wantedGeneration: 'a'.repeat(64),
  probe: probe(),
  roles: ['builder', 'worker'],
  deployedAs: 'the plain files and their commands',
  managedBy: 'systemd',
  ...change,
});
const actions = (change: Partial<OxygenPlanInput>) => planOxygen(input(change)).actions.map((a) => a.action);

describe('planOxygen', () => {
  it('says nothing changes when Oxygen runs the wanted generation', () => {
    const plan = planOxygen(input());
    expect(plan.actions).toEqual([{ action: 'nothing', detail: 'oxygen runs generation aaaaaaaaaaaa already' }]);
    expect(formatOxygenPlan(plan)).toBe('builder: no changes: oxygen runs generation aaaaaaaaaaaa already.');
  });

  it('sets up and joins a fresh Oxygen, updates one on another generation', () => {
    expect(actions({ probe: probe({ generation: null, container: null, runsAs: null, k3s: null }) })).toEqual([
      'set-up',
      'join',
    ]);
    const plan = planOxygen(input({ wantedGeneration: 'b'.repeat(64) }));
    expect(formatOxygenPlan(plan)).toBe(
      [
        'builder: oxygen: 1 step(s)',
        '  update    generation aaaaaaaaaaaa → bbbbbbbbbbbb, the plain files and their commands',
      ].join('\n'),
    );
  });

  it('an Oxygen that does not answer is one wait line, not a failure', () => {
    const plan = planOxygen(input({ probe: { unreachable: 'oxygen does not answer at oxygen (timed out)' } }));
    expect(plan).toMatchObject({ answered: false, actions: [{ action: 'wait' }] });
    expect(formatOxygenPlan(plan).split('\n')).toEqual([
      'builder: oxygen: 0 step(s)',
      '  wait      oxygen does not answer (oxygen does not answer at oxygen (timed out)); provision changes nothing until it does',
    ]);
  });

  it('plans the handover once Oxygen is a Ready node, waits before, and plans the way back', () => {
    expect(actions({ managedBy: 'kubernetes' })).toEqual(['handover']);
    expect(
      actions({
        managedBy: 'kubernetes',
        probe: probe({ k3s: { role: 'agent', ready: false, labels: {}, taints: [] } }),
      }),
    ).toEqual(['wait']);
    // A deploy restarts the unit: the handover comes on the run after, once the node is Ready again.
    expect(actions({ managedBy: 'kubernetes', wantedGeneration: 'b'.repeat(64) })).toEqual(['update', 'wait']);
    expect(actions({ managedBy: 'kubernetes', probe: probe({ runsAs: 'workload' }) })).toEqual(['nothing']);
    // A new generation while the workload runs: back to the unit first, so the store has one writer.
    expect(
      actions({ managedBy: 'kubernetes', wantedGeneration: 'b'.repeat(64), probe: probe({ runsAs: 'workload' }) }),
    ).toEqual(['hand-back', 'update', 'wait']);
    expect(actions({ managedBy: 'systemd', probe: probe({ runsAs: 'workload' }) })).toEqual(['hand-back']);
  });
});
