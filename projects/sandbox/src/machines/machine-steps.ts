// What each machine step does to the model. A step checks everything before it changes anything,
// so a refused step leaves the model as it was. The hosts layer's executor sends these steps; a
// later layer adds its own (the builder's podman run on Oxygen, k8s-apps' Flux) with
// `MachineModel.addSteps`.
import { hasQuorum, type ClusterView } from './cluster-view';
import type { MachineDurations } from './machine-durations';
import type { MachineRecord, MachineWorld } from './machine-world';
import type { MachineFaultKind } from '../faults';

export interface StepContext {
  world: MachineWorld;
  /** The machine the step runs on (created by `install` when it is new). */
  machine: MachineRecord;
  args: Record<string, unknown>;
  now: number;
  durations: MachineDurations;
  /** Draws the seeded machine fault `kind` (SANDBOX_FAULTS). */
  fault(kind: MachineFaultKind): boolean;
  isOn(machine: MachineRecord): boolean;
  /** Whether the machine still exists (a deleted server's disk, and what ran on it, is gone). */
  exists(machine: MachineRecord | undefined): boolean;
  /** The cluster as it stands now. */
  view(): ClusterView;
}

export interface StepResult {
  /** How long the step runs; the machine is busy until then. */
  durationMs: number;
  /** What the step answers (probe results, a kubeconfig, …). */
  result?: unknown;
}

/** A step that cannot be done: the model is unchanged, and the message says why as the tool would. */
export class StepFailure extends Error {}

export type StepHandler = (context: StepContext) => StepResult;

const fail = (message: string): never => {
  throw new StepFailure(message);
};

function text(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || !value) throw new StepArgumentError(`needs "${name}" as a non-empty string`);
  return value;
}

function optionalText(args: Record<string, unknown>, name: string): string | null {
  const value = args[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !value) throw new StepArgumentError(`takes "${name}" as a non-empty string or null`);
  return value;
}

function role(args: Record<string, unknown>): 'server' | 'agent' {
  const value = args.role;
  if (value !== 'server' && value !== 'agent') throw new StepArgumentError('needs "role": "server" or "agent"');
  return value;
}

/** A malformed step request (a client bug, answered 400), as against a step the machine refuses. */
export class StepArgumentError extends Error {}

/** The member a `serverAddr` (https://<address>:6443) names. */
function joinTarget(context: StepContext, serverAddr: string): MachineRecord {
  const host = /^https:\/\/([^/:]+):6443$/.exec(serverAddr)?.[1];
  if (!host) throw new StepArgumentError(`takes "serverAddr" as https://<address>:6443, not "${serverAddr}"`);
  const via = Object.values(context.world.machines).find((m) => m.address === host && m.name !== context.machine.name);
  if (!via || !context.isOn(via) || via.k3s?.role !== 'server')
    fail(`k3s on ${context.machine.name} cannot join: nothing answers at ${serverAddr}`);
  return via!;
}

/** Starts k3s on the machine: bootstraps, or joins through serverAddr, as a server or an agent. Checks, then changes. */
function startK3s(context: StepContext, deployMs: number): void {
  const { machine, args, world, now } = context;
  const wanted = role(args);
  const bootstrap = args.bootstrap === true;
  const serverAddr = optionalText(args, 'serverAddr');
  const member = world.etcdMembers.some((m) => m.name === machine.name);
  if (wanted === 'agent' && member)
    fail(`${machine.name} is still an etcd member; remove its member before it becomes an agent`);
  if (bootstrap) {
    if (wanted !== 'server') throw new StepArgumentError('bootstraps only as a server');
    // Members whose servers were deleted are gone with their disks: a cluster of only those is over.
    const others = world.etcdMembers.filter((m) => m.name !== machine.name && context.exists(world.machines[m.name]));
    if (others.length)
      fail(
        `k3s on ${machine.name} would start a second, empty cluster: the cluster already has members ${others.map((m) => m.name).join(', ')}`,
      );
    world.etcdMembers = world.etcdMembers.filter((m) => m.name === machine.name);
  } else {
    if (!serverAddr) throw new StepArgumentError('needs "serverAddr" unless it bootstraps');
    joinTarget(context, serverAddr);
    const view = context.view();
    if (!view.quorum)
      fail(
        `k3s on ${machine.name} cannot join: etcd has no quorum (${view.members.filter((m) => m.up).length} of ${view.members.length} members up)`,
      );
  }
  const readyAt = now + deployMs + context.durations.ready;
  if (wanted === 'server' && !member) {
    const slow = context.fault('slow_member');
    world.etcdMembers.push({
      name: machine.name,
      healthyAt: slow ? readyAt + 10 * Math.max(1, context.durations.ready) : now,
    });
  }
  machine.k3s = {
    role: wanted,
    version: text(args, 'version'),
    readyAt,
    stuck: context.fault('not_ready'),
    drained: false,
  };
}

function requireServerWithQuorum(context: StepContext, what: string): ClusterView {
  const { machine } = context;
  if (machine.k3s?.role !== 'server') fail(`${what} on ${machine.name}: it is not a k3s server`);
  const view = context.view();
  if (!view.quorum)
    fail(
      `${what} on ${machine.name}: etcd has no quorum (${view.members.filter((m) => m.up).length} of ${view.members.length} members up)`,
    );
  return view;
}

export const HOSTS_STEPS: Record<string, StepHandler> = {
  /** nixos-anywhere: wipes the machine, deploys `generation`, starts k3s. */
  install(context) {
    const { machine, args, now, durations } = context;
    const generation = text(args, 'generation');
    if (context.fault('install_error'))
      fail(`nixos-anywhere failed on ${machine.name}: the kexec image lost its connection (injected fault)`);
    startK3s(context, durations.install);
    machine.os = { generation, deployedAt: now };
    return { durationMs: durations.install };
  },

  /** nixos-rebuild switch: the new generation, k3s restarted with its settings. */
  rebuild(context) {
    const { machine, args, now, durations, world } = context;
    const generation = text(args, 'generation');
    if (!machine.os) fail(`${machine.name} runs no NixOS of ours: install it first`);
    const wasMember = world.etcdMembers.some((m) => m.name === machine.name);
    if (machine.k3s && machine.k3s.role === role(args) && (role(args) === 'agent' || wasMember)) {
      // k3s restarts on the new generation: the node, and its etcd member, are down until it is back.
      const readyAt = now + durations.rebuild + durations.ready;
      machine.k3s = {
        ...machine.k3s,
        version: text(args, 'version'),
        readyAt,
        stuck: context.fault('not_ready'),
        drained: false,
      };
      const member = world.etcdMembers.find((m) => m.name === machine.name);
      if (member) member.healthyAt = Math.max(member.healthyAt, readyAt);
    } else startK3s(context, durations.rebuild);
    machine.os = { generation, deployedAt: now };
    return { durationMs: durations.rebuild };
  },

  /** The ssh probes: OS generation, k3s and etcd as the node sees them. */
  probe(context) {
    const { machine, world, now } = context;
    const view = context.view();
    const member = view.members.find((m) => m.name === machine.name);
    return {
      durationMs: context.durations.probe,
      result: {
        generation: machine.os?.generation ?? null,
        k3s: machine.k3s
          ? { role: machine.k3s.role, version: machine.k3s.version, ready: view.ready.includes(machine.name) }
          : null,
        etcd: member ? { member: true, healthy: member.up } : { member: false, healthy: false },
        busyUntil: machine.busy && machine.busy.until > now ? machine.busy.until : null,
        members: world.etcdMembers.length,
      },
    };
  },

  /** `k3s etcd-snapshot save` … on a server; the list of members and whether each is up. */
  'etcd-members'(context) {
    const view = requireServerWithQuorum(context, 'etcdctl member list');
    return { durationMs: context.durations.probe, result: { members: view.members } };
  },

  'etcd-snapshot'(context) {
    requireServerWithQuorum(context, 'k3s etcd-snapshot save');
    return {
      durationMs: context.durations.probe,
      result: { snapshot: `on-demand-${context.machine.name}-${context.now}` },
    };
  },

  /** etcdctl member remove, run on this server, removing `member`; refused as etcd does when it would break quorum. */
  'etcd-member-remove'(context) {
    const member = text(context.args, 'member');
    const view = requireServerWithQuorum(context, 'etcdctl member remove');
    if (member === context.machine.name)
      fail(`etcdctl member remove on ${context.machine.name}: remove a member from another server`);
    if (!view.members.some((m) => m.name === member))
      fail(`etcdctl member remove: ${member} is not a member (members: ${view.members.map((m) => m.name).join(', ')})`);
    const after = view.members.filter((m) => m.name !== member);
    if (!hasQuorum(after))
      fail(`etcdctl member remove ${member}: etcdserver: re-configuration failed due to not enough started members`);
    context.world.etcdMembers = context.world.etcdMembers.filter((m) => m.name !== member);
    return { durationMs: context.durations.probe };
  },

  /** `kubectl drain <node>`, run on this server (an agent has no admin kubeconfig): needs the API, so quorum. */
  drain(context) {
    const node = text(context.args, 'node');
    requireServerWithQuorum(context, `kubectl drain ${node}`);
    const drained = context.world.machines[node];
    if (!drained) fail(`kubectl drain ${node}: there is no such node`);
    // A node already deleted is left as it is (the executor checks first), so a rerun goes on.
    if (drained!.k3s) drained!.k3s.drained = true;
    return { durationMs: context.durations.probe };
  },

  /**
   * Takes a worker out of the cluster, run on this server: its k3s agent stopped (so its kubelet
   * does not register it again) and `kubectl delete node <node> --ignore-not-found`. An etcd member
   * is refused: its member must be removed first. The node leaves the Ready nodes.
   */
  'delete-node'(context) {
    const node = text(context.args, 'node');
    requireServerWithQuorum(context, `kubectl delete node ${node}`);
    if (node === context.machine.name) fail(`kubectl delete node ${node}: delete a node from another server`);
    if (context.world.etcdMembers.some((m) => m.name === node))
      fail(`kubectl delete node ${node}: it is an etcd member; remove its member first`);
    const leaving = context.world.machines[node];
    if (!leaving) fail(`kubectl delete node ${node}: there is no such node`);
    // --ignore-not-found: a node already deleted is fine.
    leaving!.k3s = null;
    return { durationMs: context.durations.probe };
  },

  /**
   * `tailscale logout`: the node leaves the tailnet, so a node installed later under its name gets
   * that name rather than `<name>-1`. The model keeps no tailnet; it answers as a node of ours would.
   */
  'tailscale-logout'(context) {
    if (!context.machine.os) fail(`tailscale logout on ${context.machine.name}: it runs no NixOS of ours`);
    return { durationMs: context.durations.probe };
  },

  /** Stops k3s and removes its server data; refused while the node is an etcd member (it would rejoin with old data). */
  'clear-server-data'(context) {
    const { machine, world } = context;
    if (world.etcdMembers.some((m) => m.name === machine.name))
      fail(`${machine.name} is still an etcd member: remove its member before clearing its data`);
    machine.k3s = null;
    return { durationMs: context.durations.probe };
  },

  /** /etc/rancher/k3s/k3s.yaml with its server set to `apiHost`, the name the operator reaches. */
  kubeconfig(context) {
    requireServerWithQuorum(context, 'reading /etc/rancher/k3s/k3s.yaml');
    const apiHost = text(context.args, 'apiHost');
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- cluster: { server: "https://${apiHost}:6443", certificate-authority-data: "c2FuZGJveA==" }`,
      '  name: default',
      'contexts:',
      '- context: { cluster: default, user: default }',
      '  name: default',
      'current-context: default',
      'users:',
      `- name: default`,
      `  user: { token: "sandbox-${context.machine.name}" }`,
      '',
    ].join('\n');
    return { durationMs: context.durations.probe, result: { kubeconfig } };
  },
};
