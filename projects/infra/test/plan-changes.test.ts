import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { changeDependencies } from '../src/reconcile/dependencies';
import { blockedChanges, guardPlan } from '../src/reconcile/guards';
import type { ObservedServer, ObservedVolume } from '../src/reconcile/observed';
import { planChanges } from '../src/reconcile/plan-changes';
import { planDocument } from '../src/reconcile/plan-types';
import { formatPlan } from '../src/ui/format-plan';
import { growthPer10x } from '../../../tools/test-support/growth';
import { desiredFor, observedTwin } from './fixtures';

const keys = (plan: ReturnType<typeof planChanges>) => plan.changes.map((c) => `${c.action} ${c.key}`);

describe('planning', () => {
  it('creates everything on an empty project, in the issue’s plan.json shape', () => {
    const plan = planChanges(desiredFor(4), [], { prune: false });
    expect(plan.changes.every((c) => c.action === 'create')).toBe(true);
    const doc = planDocument(plan);
    expect(doc.summary).toEqual({ create: 19, update: 0, delete: 0, replace: 0 });
    expect(doc.changes[0]).toEqual({
      action: 'create',
      type: 'ssh_key',
      name: 'pc-operator',
      reason: 'does not exist',
    });
  });

  it('plans nothing when the cloud matches', () => {
    const desired = desiredFor(4);
    expect(planChanges(desired, observedTwin(desired), { prune: false })).toEqual({
      changes: [],
      orphans: [],
      notices: [],
    });
  });

  it('reports a different image as a notice, not a change: it takes effect only on reinstall', () => {
    const desired = desiredFor(1);
    const observed = observedTwin(desired);
    (observed.find((o) => o.type === 'server') as ObservedServer).image = 'debian-12';
    const plan = planChanges(desired, observed, { prune: false });
    expect(plan.changes).toEqual([]);
    expect(plan.notices).toEqual([
      {
        key: 'server/pc-worker-1',
        type: 'server',
        name: 'pc-worker-1',
        text: 'image debian-12 → ubuntu-24.04: image differs; takes effect on reinstall',
      },
    ]);
    const shown = stripVTControlCharacters(formatPlan(plan));
    expect(shown).toContain(
      'server pc-worker-1 (image debian-12 → ubuntu-24.04: image differs; takes effect on reinstall)',
    );
    expect(shown).not.toContain('No changes');
    expect(planDocument(plan).notices).toEqual([
      {
        type: 'server',
        name: 'pc-worker-1',
        text: 'image debian-12 → ubuntu-24.04: image differs; takes effect on reinstall',
      },
    ]);
  });

  it('moves from phase 1 to 2 by adding three control-plane servers and keeping the CCX23', () => {
    const plan = planChanges(desiredFor(2), observedTwin(desiredFor(1)), { prune: false });
    expect(keys(plan)).toEqual([
      'create placement_group/pc-master-spread-1',
      'create server/pc-master-1',
      'create server/pc-master-2',
      'create server/pc-master-3',
    ]);
  });

  it('going from phase 4 to 3 leaves workers 4–5 and every volume as orphans unless pruned, and pruning them is guarded', () => {
    const observed = observedTwin(desiredFor(4));
    const kept = planChanges(desiredFor(3), observed, { prune: false });
    expect(kept.changes).toEqual([]);
    expect(kept.orphans.map((o) => o.name).sort()).toEqual(
      [
        'pc-worker-1-data',
        'pc-worker-2-data',
        'pc-worker-3-data',
        'pc-worker-4',
        'pc-worker-4-data',
        'pc-worker-5',
        'pc-worker-5-data',
      ].sort(),
    );
    const pruned = planChanges(desiredFor(3), observed, { prune: true });
    expect(pruned.changes.filter((c) => c.action === 'delete')).toHaveLength(7);
    expect(blockedChanges(pruned, 'pc', []).map((c) => c.name)).toEqual(
      expect.arrayContaining(['pc-worker-4', 'pc-worker-5', 'pc-worker-1-data']),
    );
    expect(() => guardPlan(pruned, 'pc', [])).toThrow(/nothing was changed.*--allow-destroy=worker-4/);
    const all = [
      'worker-4',
      'worker-5',
      'worker-1-data',
      'worker-2-data',
      'worker-3-data',
      'worker-4-data',
      'worker-5-data',
    ];
    expect(() => guardPlan(pruned, 'pc', all)).not.toThrow();
    expect(() =>
      guardPlan(
        pruned,
        'pc',
        all.map((n) => `pc-${n}`),
      ),
    ).not.toThrow();
  });

  it('updates what can change in place and says why', () => {
    const desired = desiredFor(4);
    const observed = observedTwin(desired);
    const server = observed.find((o) => o.name === 'pc-worker-2') as ObservedServer;
    server.serverType = 'cpx11';
    server.status = 'off';
    server.labels = { ...server.labels, role: 'other' };
    const volume = observed.find((o) => o.name === 'pc-worker-2-data') as ObservedVolume;
    volume.sizeGb = 400;
    volume.protectDelete = false;
    const plan = planChanges(desired, observed, { prune: false });
    expect(plan.changes.map((c) => [c.action, c.name, c.reason])).toEqual([
      ['update', 'pc-worker-2-data', 'size 400 → 500; protection false → true'],
      ['update', 'pc-worker-2', 'server_type cpx11 → ccx23; status off → running; labels differ'],
    ]);
  });

  it('replaces what cannot change in place, and guards data', () => {
    const desired = desiredFor(4);
    const observed = observedTwin(desired);
    (observed.find((o) => o.name === 'pc-worker-3-data') as ObservedVolume).sizeGb = 600;
    (observed.find((o) => o.name === 'pc-worker-1') as ObservedServer).location = 'nbg1';
    const plan = planChanges(desired, observed, { prune: false });
    expect(plan.changes.map((c) => [c.action, c.name, c.destroysData])).toEqual([
      ['replace', 'pc-worker-1', 'server pc-worker-1 has volume pc-worker-1-data attached'],
      ['replace', 'pc-worker-3-data', 'volume pc-worker-3-data (600 GB) holds data'],
    ]);
    expect(() => guardPlan(plan, 'pc', ['worker-1'])).toThrow(/replace volume pc-worker-3-data/);
  });

  it('attaches a missing network address, and re-attaches a wrong one', () => {
    const desired = desiredFor(2);
    const observed = observedTwin(desired);
    (observed.find((o) => o.name === 'pc-master-1') as ObservedServer).networks = [];
    (observed.find((o) => o.name === 'pc-master-2') as ObservedServer).networks = [
      { name: 'pc-cloud', ip: '10.0.1.99' },
    ];
    const plan = planChanges(desired, observed, { prune: false });
    expect(plan.changes.map((c) => c.reason)).toEqual([
      'network null → pc-cloud 10.0.1.10',
      'network pc-cloud 10.0.1.99 → pc-cloud 10.0.1.11',
    ]);
  });

  it('ignores firewall rule and source order, but not a changed rule', () => {
    const desired = desiredFor(4);
    const observed = observedTwin(desired);
    const fw = observed.find((o) => o.type === 'firewall')!;
    if (fw.type !== 'firewall') throw new Error();
    fw.rules = [...fw.rules].reverse().map((r) => ({ ...r, source_ips: [...(r.source_ips ?? [])].reverse() }));
    expect(planChanges(desired, observed, { prune: false }).changes).toEqual([]);
    fw.rules = fw.rules.slice(1);
    expect(keys(planChanges(desired, observed, { prune: false }))).toEqual(['update firewall/pc-all']);
  });

  it('sees an outbound rule added by hand, which would block every other egress', () => {
    const desired = desiredFor(4);
    const observed = observedTwin(desired);
    const fw = observed.find((o) => o.type === 'firewall')!;
    if (fw.type !== 'firewall') throw new Error();
    fw.rules = [
      ...fw.rules,
      { direction: 'out', protocol: 'tcp', port: '25', destination_ips: ['0.0.0.0/0'], description: 'smtp' },
    ];
    expect(keys(planChanges(desired, observed, { prune: false }))).toEqual(['update firewall/pc-all']);
  });

  it('plans 1000 servers in time that grows linearly, not quadratically, with the servers', () => {
    // `servers` servers in networks of 100, half of them already there.
    const desiredWith = (servers: number) =>
      desiredFor(4, (c) => {
        const networks = Math.ceil(servers / 100);
        c.networks = Array.from({ length: networks }, (_, i) => ({
          name: `net${i}`,
          ipRange: `10.${i}.0.0/16`,
          subnets: [{ name: `sub${i}`, ipRange: `10.${i}.0.0/20`, zone: 'eu-central' }],
        }));
        c.pools = [
          { name: 'master', role: 'control-plane', serverType: 'cpx11', count: 3, subnet: 'sub0' },
          ...Array.from({ length: networks }, (_, i) => ({
            name: `w${i}`,
            role: 'worker',
            serverType: 'ccx23',
            count: i === 0 ? Math.min(97, servers - 3) : 100,
            subnet: `sub${i}`,
            hostOffset: 30,
          })),
        ];
        c.firewall.rules = [];
      });
    const planning = (servers: number) => {
      const desired = desiredWith(servers);
      expect(desired.filter((d) => d.type === 'server')).toHaveLength(servers);
      const observed = observedTwin(desired.slice(0, desired.length / 2));
      return { size: servers, work: () => changeDependencies(planChanges(desired, observed, { prune: false })) };
    };
    const { growth } = growthPer10x(planning(100), planning(1000));
    // Linear is ×10 per 10× of servers, quadratic ×100; the margin is for a noisy machine.
    expect(growth, `planning time grew ×${growth.toFixed(1)} from 100 to 1000 servers`).toBeLessThan(40);
  });
});

describe('dependencies', () => {
  it('creates servers after their network, key, group and volumes; nothing else waits', () => {
    const deps = changeDependencies(planChanges(desiredFor(4), [], { prune: false }));
    expect(deps.get('server/pc-worker-1')?.sort()).toEqual([
      'network/pc-cloud',
      'placement_group/pc-worker-spread-1',
      'ssh_key/pc-operator',
      'volume/pc-worker-1-data',
    ]);
    expect(deps.get('volume/pc-worker-1-data')).toEqual([]);
    expect(deps.get('firewall/pc-all')).toEqual([]);
  });

  it('deletes what a server holds only after the server', () => {
    const deps = changeDependencies(planChanges([], observedTwin(desiredFor(4)), { prune: true }));
    expect(deps.get('network/pc-cloud')).toHaveLength(8);
    expect(deps.get('volume/pc-worker-2-data')).toEqual(['server/pc-worker-2']);
    expect(deps.get('server/pc-worker-2')).toEqual([]);
    expect(deps.get('ssh_key/pc-operator')).toEqual([]);
  });

  it('interrupts one server at a time per role, and says so in the plan', () => {
    const desired = desiredFor(4, (c) => {
      c.pools[0].serverType = 'ccx23';
      c.pools[1].serverType = 'ccx33';
    });
    const observed = observedTwin(desiredFor(4));
    for (const o of observed)
      if (o.type === 'server' && o.name !== 'pc-master-1') o.labels = { ...o.labels, extra: 'x' };
    const plan = planChanges(desired, observed, { prune: false });
    const deps = changeDependencies(plan);
    expect(deps.get('server/pc-master-1')).toEqual([]);
    expect(deps.get('server/pc-master-2')).toEqual(['server/pc-master-1']);
    expect(deps.get('server/pc-master-3')).toEqual(['server/pc-master-2']);
    expect(deps.get('server/pc-worker-1')).toEqual([]);
    expect(deps.get('server/pc-worker-2')).toEqual(['server/pc-worker-1']);
    const shown = stripVTControlCharacters(formatPlan(plan));
    expect(shown).toContain(
      '~ server pc-master-2 (update: server_type cpx11 → ccx23; labels differ)\n    ! interrupts the server (one at a time per role)',
    );
  });

  it('changes labels alone without interrupting anyone or waiting in line', () => {
    const desired = desiredFor(4);
    const observed = observedTwin(desired);
    for (const o of observed) if (o.type === 'server') o.labels = { ...o.labels, extra: 'x' };
    const plan = planChanges(desired, observed, { prune: false });
    expect(plan.changes.every((c) => !c.interrupts)).toBe(true);
    expect([...changeDependencies(plan).values()].every((after) => after.length === 0)).toBe(true);
  });

  it('attaches an existing volume to a new server only after the server exists', () => {
    const desired = desiredFor(4);
    const observed = observedTwin(desired).filter((o) => o.name !== 'pc-worker-5');
    (observed.find((o) => o.name === 'pc-worker-5-data') as ObservedVolume).server = null;
    const plan = planChanges(desired, observed, { prune: false });
    // The volume exists, the server does not: the server's creation takes it, so no attach is planned.
    expect(keys(plan)).toEqual(['create server/pc-worker-5']);
  });
});
