// The hosts plan, pure: skip-unchanged, the rolling order, etcd's quorum after each step, and the
// control-plane transitions between every pair of phases.
import { describe, expect, it } from 'vitest';
import { nodesInPhase, type Phase } from '@personal-cloud/cluster';
import { controlPlaneTransition } from '../src/plan/control-plane-transition';
import { formatHostsPlan } from '../src/plan/format-hosts-plan';
import { nodeGeneration } from '../src/plan/node-generation';
import { planHosts } from '../src/plan/plan-hosts';
import type { HostsDocument } from '../src/render/hosts-document';
import type { HostsState } from '../src/state/hosts-state';

type PlanState = Pick<HostsState, 'k3sServers' | 'deployed'>;
import { configAt, renderAt } from './fixtures';

const generationsOf = (document: HostsDocument, nix = 'nix-1') =>
  Object.fromEntries(Object.values(document.nodes).map((n) => [n.name, nodeGeneration(document, n, nix)]));

/** State after every node of `document` was deployed with the generations of `nix`. */
function deployedState(document: HostsDocument, nix = 'nix-1'): PlanState {
  const generations = generationsOf(document, nix);
  const nodes = Object.values(document.nodes);
  return {
    k3sServers: nodes.filter((n) => n.k3s.role === 'server').map((n) => n.name),
    deployed: Object.fromEntries(
      nodes.map((n) => [
        n.name,
        { generation: generations[n.name]!, role: n.k3s.role, at: '2026-12-01T00:00:00.000Z' },
      ]),
    ),
  };
}

const empty: PlanState = { k3sServers: [], deployed: {} };

describe('planHosts', () => {
  it('phase 4 from empty: master-1 first, the other servers together, then workers two at a time', () => {
    const document = renderAt(4);
    const plan = planHosts({ document, generations: generationsOf(document), state: empty, maxParallel: 2 });
    expect(plan.refused).toBeNull();
    expect(plan.waves).toEqual([
      { title: 'master-1 starts the cluster', nodes: ['master-1'], concurrency: 1 },
      { title: 'control-plane nodes join', nodes: ['master-2', 'master-3'], concurrency: 2 },
      {
        title: 'workers, 2 at a time',
        nodes: ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5'],
        concurrency: 2,
      },
    ]);
    expect(plan.nodes.every((n) => n.action === 'install')).toBe(true);
    expect(plan.nodes.filter((n) => n.etcd).map((n) => [n.node, n.etcd!.after])).toEqual([
      ['master-1', { members: 1, up: 1, quorum: true }],
      ['master-2', { members: 2, up: 2, quorum: true }],
      ['master-3', { members: 3, up: 3, quorum: true }],
    ]);
    expect(plan.k3sServersAfter).toEqual(['master-1', 'master-2', 'master-3']);
  });

  it('skips every node whose configuration hash equals the one of its last deploy', () => {
    const document = renderAt(4, ['master-1', 'master-2', 'master-3']);
    const plan = planHosts({
      document,
      generations: generationsOf(document),
      state: deployedState(document),
      maxParallel: 2,
    });
    expect(plan.nodes.map((n) => n.action)).toEqual(Array(8).fill('skip'));
    expect(plan.waves).toEqual([]);
    expect(formatHostsPlan(plan)).toBe('hosts: no changes: all 8 node(s) run their configuration.');
  });

  it('ignores whom a node joins through: recording the members must not make every node look changed', () => {
    const before = renderAt(2);
    const after = renderAt(2, ['master-1', 'master-2', 'master-3']);
    expect(after.nodes['master-1']!.k3s.serverAddr).not.toBe(before.nodes['master-1']!.k3s.serverAddr);
    expect(generationsOf(after)).toEqual(generationsOf(before));
  });

  it('rolls changed control-plane nodes one at a time with etcd 2/3 up during each, then workers', () => {
    const document = renderAt(4, ['master-1', 'master-2', 'master-3']);
    const plan = planHosts({
      document,
      generations: generationsOf(document, 'nix-2'),
      state: deployedState(document, 'nix-1'),
      maxParallel: 3,
    });
    expect(plan.nodes.map((n) => n.action)).toEqual(Array(8).fill('rebuild'));
    expect(plan.waves.map((w) => [w.nodes, w.concurrency])).toEqual([
      [['master-1', 'master-2', 'master-3'], 1],
      [['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5'], 3],
    ]);
    for (const node of plan.nodes.filter((n) => n.role === 'server'))
      expect(node.etcd).toEqual({
        during: { members: 3, up: 2, quorum: true },
        after: { members: 3, up: 3, quorum: true },
      });
    expect(formatHostsPlan(plan)).toContain(
      'rebuild  master-1     k3s server its configuration changed  (during: etcd 2/3 up; after: etcd 3/3 up)',
    );
  });

  it('installs only what is missing after a stopped roll, joining the running cluster', () => {
    const document = renderAt(2, ['master-1']);
    const full = deployedState(document);
    const state: PlanState = { k3sServers: ['master-1'], deployed: { 'master-1': full.deployed['master-1']! } };
    const plan = planHosts({ document, generations: generationsOf(document), state, maxParallel: 2 });
    expect(plan.nodes.map((n) => `${n.node}:${n.action}`)).toEqual([
      'master-1:skip',
      'master-2:install',
      'master-3:install',
      'worker-1:install',
    ]);
    expect(plan.waves.map((w) => w.nodes)).toEqual([['master-2', 'master-3'], ['worker-1']]);
  });

  it('moves etcd off the phase-1 server after the new servers joined, then its quorum is 3 of 3', () => {
    const phase1 = renderAt(1);
    const document = renderAt(2, ['worker-1']);
    const state: PlanState = { k3sServers: ['worker-1'], deployed: deployedState(phase1).deployed };
    const plan = planHosts({ document, generations: generationsOf(document), state, maxParallel: 2 });
    expect(plan.refused).toBeNull();
    expect(plan.waves.map((w) => w.nodes)).toEqual([['master-1', 'master-2', 'master-3'], ['worker-1']]);
    expect(plan.waves[1]!.title).toBe(
      'etcd moves off: snapshot, drain, member removal from another server, member check, clear, redeploy as agent',
    );
    const worker = plan.nodes.find((n) => n.node === 'worker-1')!;
    expect(worker).toMatchObject({
      action: 'migrate',
      etcd: { during: { members: 4, up: 4, quorum: true }, after: { members: 3, up: 3, quorum: true } },
    });
    expect(plan.k3sServersAfter).toEqual(['master-1', 'master-2', 'master-3']);
  });

  it('decommissions the workers a lower phase drops, last and one at a time; a pending node is still wanted', () => {
    const phase4 = renderAt(4, ['master-1', 'master-2', 'master-3']);
    const document = renderAt(3, ['master-1', 'master-2', 'master-3']);
    const state = deployedState(phase4);
    const plan = planHosts({ document, generations: generationsOf(phase4), state, maxParallel: 2 });
    expect(plan.refused).toBeNull();
    expect(plan.nodes.filter((n) => n.action === 'decommission').map((n) => [n.node, n.role])).toEqual([
      ['worker-4', 'agent'],
      ['worker-5', 'agent'],
    ]);
    expect(plan.waves.at(-1)).toEqual({
      title: 'workers leave, one at a time: drained from a server, node object deleted, marked decommissioned',
      nodes: ['worker-4', 'worker-5'],
      concurrency: 1,
    });
    expect(formatHostsPlan(plan)).toContain(
      'decommission worker-5     k3s agent  no longer in the config: drained, its node object deleted; then `infra:provision --prune` deletes its server',
    );
    // worker-4 is in the phase but infra has not recorded its server yet: it stays.
    const { 'worker-4': _, ...rendered } = document.nodes;
    const pending = {
      ...document,
      nodes: rendered,
      pending: [{ node: 'worker-4', missingVars: ['vars.CLUSTER.WORKER_4.hetzner_id'] }],
    };
    const waiting = planHosts({ document: pending, generations: generationsOf(phase4), state, maxParallel: 2 });
    expect(waiting.nodes.filter((n) => n.action === 'decommission').map((n) => n.node)).toEqual(['worker-5']);
  });

  it('refuses going back to phase 1 before anything is planned, with the reason', () => {
    expect(() => renderAt(1, ['master-1', 'master-2', 'master-3'])).toThrow(
      "hosts' state says the cluster's servers are master-1, master-2, master-3, and none of them is a node of phase 1, so no node could join: choose a phase that keeps one of them.",
    );
  });
});

describe('controlPlaneTransition between phases', () => {
  const servers = (phase: Phase) =>
    nodesInPhase(configAt(phase))
      .filter((n) => n.k3s.role === 'server')
      .map((n) => n.name);
  const phases: Phase[] = [1, 2, 3, 4];
  const pairs = phases.flatMap((from) => phases.filter((to) => to !== from).map((to) => [from, to] as const));

  it.each(pairs)('%i → %i keeps a majority at every step, or is refused with the reason', (from, to) => {
    const transition = controlPlaneTransition(servers(from), servers(to));
    if (from === 1) {
      // Up from phase 1: the three servers join one at a time, then phase 1's node leaves etcd.
      expect(transition).toMatchObject({ ok: true, leaving: ['worker-1'] });
      if (!transition.ok) return;
      expect(transition.changes.map((c) => `${c.kind} ${c.node}`)).toEqual([
        'add master-1',
        'add master-2',
        'add master-3',
        'remove worker-1',
      ]);
      expect(transition.steps.map((s) => [s.after.members, s.after.up])).toEqual([
        [2, 2],
        [3, 3],
        [4, 4],
        [3, 3],
      ]);
      for (const step of transition.steps) expect([step.during.quorum, step.after.quorum]).toEqual([true, true]);
    } else if (to === 1) {
      expect(transition).toEqual({
        ok: false,
        reason:
          'the control plane would shrink from 3 etcd member(s) (master-1, master-2, master-3) to 1 (worker-1); moving to a phase with fewer control-plane nodes is refused: keep the phase, or rebuild the cluster from backups',
      });
    } else {
      // Phases 2, 3 and 4 share the same three servers: only workers change.
      expect(transition).toEqual({ ok: true, changes: [], steps: [], leaving: [] });
    }
  });
});
