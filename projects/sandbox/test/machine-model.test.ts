// The machine model's rules, step by step, with the power of each server set by the test.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFaults } from '../src/faults';
import { MachineModel, type MachineStepRequest } from '../src/machines/machine-model';
import { readJournal } from '../src/machines/machine-journal';
import { parseMachineDurations } from '../src/machines/machine-durations';

const DURATIONS = { install: 30, rebuild: 10, ready: 5, probe: 0 };
const NODES = {
  'master-1': { serverId: 1, nodeIp: '10.0.1.10' },
  'master-2': { serverId: 2, nodeIp: '10.0.1.11' },
  'master-3': { serverId: 3, nodeIp: '10.0.1.12' },
  'worker-1': { serverId: 4, nodeIp: '10.0.1.20' },
} as const;
type Node = keyof typeof NODES;

/** A model over servers 1–4, all on, with a clock the test moves. */
function world(faults = '', dir: string | null = null) {
  let now = 1_000_000;
  const power = new Map<number, 'running' | 'off' | 'absent'>([1, 2, 3, 4].map((id) => [id, 'running']));
  const model = new MachineModel({
    dir,
    clock: () => now,
    durations: DURATIONS,
    faults: parseFaults(faults, 1),
    serverPower: (id) => power.get(id) ?? 'absent',
  });
  const step = (step: string, node: Node, args: Record<string, unknown> = {}): ReturnType<MachineModel['run']> => {
    const answer = model.run({
      step,
      node,
      serverId: NODES[node].serverId,
      args: { nodeIp: NODES[node].nodeIp, ...args },
    } satisfies MachineStepRequest);
    now = Math.max(now, answer.finishesAt);
    return answer;
  };
  const install = (node: Node, role: 'server' | 'agent', join: Node | null, generation = `gen-${node}`) =>
    step('install', node, {
      generation,
      role,
      version: 'v1.34.1+k3s1',
      bootstrap: join === null,
      serverAddr: join ? `https://${NODES[join].nodeIp}:6443` : null,
    });
  const settle = () => (now += DURATIONS.ready + 1);
  return { model, step, install, settle, power, later: (ms: number) => (now += ms) };
}

/** A running phase-2 cluster: three members, worker-1 an agent, all Ready. */
function phase2(faults = '') {
  const w = world(faults);
  expect(w.install('master-1', 'server', null).outcome).toBe('ok');
  expect(w.install('master-2', 'server', 'master-1').outcome).toBe('ok');
  expect(w.install('master-3', 'server', 'master-1').outcome).toBe('ok');
  expect(w.install('worker-1', 'agent', 'master-1').outcome).toBe('ok');
  w.settle();
  return w;
}

describe('the machine model', () => {
  it('bootstraps a cluster, joins members and agents, and reports Ready once the deploy and its settling end', () => {
    const w = world();
    const first = w.install('master-1', 'server', null);
    expect(first).toMatchObject({
      outcome: 'ok',
      finishesAt: first.startedAt + 30,
      cluster: { members: [{ name: 'master-1', up: true }], quorum: true, ready: [] },
    });
    w.install('master-2', 'server', 'master-1');
    w.install('worker-1', 'agent', 'master-2');
    w.settle();
    const { cluster, machines } = w.model.snapshot();
    expect(cluster).toEqual({
      members: [
        { name: 'master-1', up: true },
        { name: 'master-2', up: true },
      ],
      quorum: true,
      ready: ['master-1', 'master-2', 'worker-1'],
    });
    expect(machines.machines['worker-1']).toMatchObject({
      os: { generation: 'gen-worker-1' },
      k3s: { role: 'agent', version: 'v1.34.1+k3s1' },
    });
    expect(w.model.journal.all().map((e) => `${e.step} ${e.node} ${e.outcome}`)).toEqual([
      'install master-1 ok',
      'install master-2 ok',
      'install worker-1 ok',
    ]);
    expect(w.model.journal.all()[1]!.args).toEqual({
      nodeIp: '10.0.1.11',
      generation: 'gen-master-2',
      role: 'server',
      version: 'v1.34.1+k3s1',
      bootstrap: false,
      serverAddr: 'https://10.0.1.10:6443',
    });
  });

  it('a server that is off does not answer, and nothing changes', () => {
    const w = phase2();
    w.power.set(4, 'off');
    const before = w.model.snapshot().machines;
    const answer = w.step('rebuild', 'worker-1', { generation: 'gen-2', role: 'agent', version: 'v1.34.1+k3s1' });
    expect(answer).toMatchObject({
      outcome: 'unreachable',
      message: 'worker-1 does not answer: server 4 is powered off',
    });
    expect(w.model.snapshot().machines).toEqual(before);
    expect(w.model.journal.all().at(-1)).toMatchObject({ step: 'rebuild', node: 'worker-1', outcome: 'unreachable' });
  });

  it('a powered-off control-plane node drops out of quorum; two of three off leave no quorum and no Ready node', () => {
    const w = phase2();
    w.power.set(2, 'off');
    expect(w.model.snapshot().cluster).toMatchObject({
      members: [{ up: true }, { up: false }, { up: true }],
      quorum: true,
      ready: ['master-1', 'master-3', 'worker-1'],
    });
    w.power.set(3, 'off');
    expect(w.model.snapshot().cluster).toMatchObject({ quorum: false, ready: [] });
  });

  it('a node joins only a cluster with quorum', () => {
    const w = phase2();
    w.power.set(2, 'off');
    w.power.set(3, 'off');
    const join = w.step('rebuild', 'worker-1', {
      generation: 'g',
      role: 'server',
      version: 'v1.34.1+k3s1',
      serverAddr: 'https://10.0.1.10:6443',
    });
    expect(join.outcome).toBe('failed');
    expect(join.message).toBe('k3s on worker-1 cannot join: etcd has no quorum (1 of 3 members up)');
    expect(w.model.snapshot().machines.etcdMembers.map((m) => m.name)).toEqual(['master-1', 'master-2', 'master-3']);
  });

  it('refuses to start a second, empty cluster', () => {
    const w = phase2();
    expect(w.install('master-2', 'server', null).message).toBe(
      'k3s on master-2 would start a second, empty cluster: the cluster already has members master-1, master-3',
    );
  });

  it('a rebuilding server is down until k3s is back: one at a time keeps quorum, two at once lose it', () => {
    const w = phase2();
    const rebuild = (node: Node) =>
      w.model.run({
        step: 'rebuild',
        node,
        serverId: NODES[node].serverId,
        args: { generation: 'g2', role: 'server', version: 'v1.34.1+k3s1' },
      });
    const one = rebuild('master-2');
    expect(one.cluster).toMatchObject({ members: [{ up: true }, { up: false }, { up: true }], quorum: true });
    const two = rebuild('master-3');
    expect(two.cluster).toMatchObject({
      members: [{ up: true }, { up: false }, { up: false }],
      quorum: false,
      ready: [],
    });
    w.later(DURATIONS.rebuild);
    w.settle();
    expect(w.model.snapshot().cluster).toMatchObject({
      quorum: true,
      ready: ['master-1', 'master-2', 'master-3', 'worker-1'],
    });
  });

  it('a cluster whose members all lost their servers is over: a new bootstrap starts afresh', () => {
    const w = phase2();
    for (const id of [1, 2, 3, 4]) w.power.set(id, 'absent');
    for (const id of [11, 12, 13]) w.power.set(id, 'running');
    const again = w.model.run({
      step: 'install',
      node: 'master-1',
      serverId: 11,
      args: { generation: 'g', role: 'server', version: 'v', bootstrap: true, nodeIp: '10.0.1.10' },
    });
    expect(again.outcome).toBe('ok');
    expect(w.model.snapshot().machines.etcdMembers.map((m) => m.name)).toEqual(['master-1']);
  });

  it('removing a member fails as etcd does when it would break quorum, and works when it keeps it', () => {
    const w = phase2();
    w.power.set(3, 'off');
    const breaking = w.step('etcd-member-remove', 'master-1', { member: 'master-2' });
    expect(breaking).toMatchObject({
      outcome: 'failed',
      message: 'etcdctl member remove master-2: etcdserver: re-configuration failed due to not enough started members',
    });
    const keeping = w.step('etcd-member-remove', 'master-1', { member: 'master-3' });
    expect(keeping.outcome).toBe('ok');
    expect(keeping.cluster.members).toEqual([
      { name: 'master-1', up: true },
      { name: 'master-2', up: true },
    ]);
  });

  it('takes a worker out: drained and deleted from a server, it leaves the Ready nodes; an agent cannot do it, a member is refused', () => {
    const w = phase2();
    expect(w.step('drain', 'worker-1', { node: 'worker-1' }).message).toBe(
      'kubectl drain worker-1 on worker-1: it is not a k3s server',
    );
    expect(w.step('drain', 'master-2', { node: 'worker-1' }).outcome).toBe('ok');
    expect(w.model.snapshot().machines.machines['worker-1']!.k3s!.drained).toBe(true);
    expect(w.step('delete-node', 'master-2', { node: 'master-3' }).message).toBe(
      'kubectl delete node master-3: it is an etcd member; remove its member first',
    );
    const deleted = w.step('delete-node', 'master-2', { node: 'worker-1' });
    expect(deleted.outcome).toBe('ok');
    expect(deleted.cluster.ready).toEqual(['master-1', 'master-2', 'master-3']);
    // Gone already (a rerun): both are no-ops, as the executor's --ignore-not-found makes them.
    expect(w.step('drain', 'master-2', { node: 'worker-1' }).outcome).toBe('ok');
    expect(w.step('delete-node', 'master-2', { node: 'worker-1' }).outcome).toBe('ok');
    expect(w.step('drain', 'master-2', { node: 'worker-9' }).message).toBe(
      'kubectl drain worker-9: there is no such node',
    );
    w.power.set(2, 'off');
    w.power.set(3, 'off');
    expect(w.step('drain', 'master-1', { node: 'master-1' }).message).toBe(
      'kubectl drain master-1 on master-1: etcd has no quorum (1 of 3 members up)',
    );
  });

  it('moves etcd off a node in order: snapshot, drain, member remove from another server, clear data, redeploy as agent', () => {
    const w = phase2();
    expect(w.step('etcd-snapshot', 'master-1').outcome).toBe('ok');
    expect(w.step('clear-server-data', 'master-3').message).toBe(
      'master-3 is still an etcd member: remove its member before clearing its data',
    );
    expect(
      w.step('rebuild', 'master-3', {
        generation: 'g',
        role: 'agent',
        version: 'v1.34.1+k3s1',
        serverAddr: 'https://10.0.1.10:6443',
      }).message,
    ).toBe('master-3 is still an etcd member; remove its member before it becomes an agent');
    expect(w.step('drain', 'master-1', { node: 'master-3' }).outcome).toBe('ok');
    expect(w.step('etcd-member-remove', 'master-3', { member: 'master-3' }).outcome).toBe('failed');
    expect(w.step('etcd-member-remove', 'master-1', { member: 'master-3' }).outcome).toBe('ok');
    expect(w.step('etcd-members', 'master-2').result).toEqual({
      members: [
        { name: 'master-1', up: true },
        { name: 'master-2', up: true },
      ],
    });
    expect(w.step('clear-server-data', 'master-3').outcome).toBe('ok');
    expect(
      w.step('rebuild', 'master-3', {
        generation: 'g',
        role: 'agent',
        version: 'v1.34.1+k3s1',
        serverAddr: 'https://10.0.1.10:6443',
      }).outcome,
    ).toBe('ok');
    w.settle();
    expect(w.model.snapshot().cluster.ready).toEqual(['master-1', 'master-2', 'master-3', 'worker-1']);
  });

  it('answers probes and the kubeconfig with the name the operator reaches', () => {
    const w = phase2();
    expect(w.step('probe', 'worker-1').result).toMatchObject({
      generation: 'gen-worker-1',
      k3s: { role: 'agent', ready: true },
      etcd: { member: false },
    });
    const kubeconfig = w.step('kubeconfig', 'master-2', { apiHost: 'demo-master-2' }).result as { kubeconfig: string };
    expect(kubeconfig.kubeconfig).toContain('server: "https://demo-master-2:6443"');
    expect(w.step('kubeconfig', 'worker-1', { apiHost: 'x' }).message).toBe(
      'reading /etc/rancher/k3s/k3s.yaml on worker-1: it is not a k3s server',
    );
  });

  it('runs one step at a time on a machine', () => {
    const w = world();
    const first = w.model.run({
      step: 'install',
      node: 'master-1',
      serverId: 1,
      args: { generation: 'g', role: 'server', version: 'v', bootstrap: true },
    });
    const second = w.model.run({ step: 'probe', node: 'master-1', serverId: 1, args: {} });
    expect(first.outcome).toBe('ok');
    expect(second).toMatchObject({ outcome: 'failed', message: 'master-1 is busy with install for another 30 ms' });
  });

  it('a machine on a new server (deleted and created again) starts from a blank disk', () => {
    const w = phase2();
    const answer = w.model.run({ step: 'probe', node: 'worker-1', serverId: 9, args: {} });
    expect(answer.outcome).toBe('unreachable');
    w.power.set(9, 'running');
    expect(w.model.run({ step: 'probe', node: 'worker-1', serverId: 9, args: {} }).result).toMatchObject({
      generation: null,
      k3s: null,
    });
  });

  it('injects machine faults from SANDBOX_FAULTS, transiently: a later attempt succeeds', () => {
    const w = world('install_error=1,seed=3');
    expect(w.install('master-1', 'server', null)).toMatchObject({
      outcome: 'failed',
      message: expect.stringContaining('nixos-anywhere failed on master-1'),
    });
    expect(w.model.snapshot().machines.etcdMembers).toEqual([]);
    w.model.setFaults(parseFaults('not_ready=1,seed=3'));
    expect(w.install('master-1', 'server', null).outcome).toBe('ok');
    w.settle();
    expect(w.model.snapshot().cluster.ready).toEqual([]);
    w.model.setFaults(parseFaults('slow_member=1,seed=3'));
    expect(w.install('master-2', 'server', 'master-1').outcome).toBe('ok');
    w.settle();
    expect(w.model.snapshot().cluster.members).toEqual([
      { name: 'master-1', up: true },
      { name: 'master-2', up: false },
    ]);
    w.later(10 * DURATIONS.ready);
    w.model.setFaults(parseFaults(''));
    expect(w.step('rebuild', 'master-1', { generation: 'g2', role: 'server', version: 'v1.34.1+k3s1' }).outcome).toBe(
      'ok',
    );
    w.settle();
    expect(w.model.snapshot().cluster).toMatchObject({
      members: [{ up: true }, { up: true }],
      ready: ['master-1', 'master-2'],
    });
  });

  it('refuses a malformed step in one sentence', () => {
    const w = world();
    expect(() => w.model.run({ step: 'reboot', node: 'master-1', serverId: 1, args: {} })).toThrow(
      /^there is no machine step "reboot"; steps: install, rebuild, probe/,
    );
    expect(() => w.step('install', 'master-1', { role: 'server' })).toThrow('needs "generation" as a non-empty string');
  });

  it('keeps machines.json and journal.jsonl in its directory, and reads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'machines-'));
    try {
      const w = world('', dir);
      w.install('master-1', 'server', null);
      const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toEqual([
        expect.objectContaining({
          step: 'install',
          node: 'master-1',
          outcome: 'ok',
          cluster: { members: [{ name: 'master-1', up: true }], quorum: true, ready: [] },
        }),
      ]);
      const again = world('', dir);
      expect(again.model.snapshot().machines.etcdMembers.map((m) => m.name)).toEqual(['master-1']);
      expect(readJournal(join(dir, 'journal.jsonl'))).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads step durations from SANDBOX_MACHINE_MS and names a bad one', () => {
    expect(parseMachineDurations('install=3000,rebuild=1000')).toMatchObject({ install: 3000, rebuild: 1000 });
    expect(() => parseMachineDurations('boot=1')).toThrow(
      'SANDBOX_MACHINE_MS: unknown step "boot"; allowed are install, rebuild, ready, probe',
    );
    expect(() => parseMachineDurations('install=-1')).toThrow(
      'SANDBOX_MACHINE_MS: install must be an integer from 0 to 3600000 milliseconds, not "-1"',
    );
  });
});
