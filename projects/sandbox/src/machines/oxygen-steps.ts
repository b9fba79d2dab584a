// The builder layer's steps on Oxygen, a machine outside Hetzner (registered through
// POST /__sandbox/machines/external; its power is its own). A deploy puts Oxygen's generation in
// place, runs the builder container and configures the k3s agent. Like a real k3s agent, the
// agent keeps trying to reach its server: it counts as Ready once the cluster has quorum, whenever
// that is, and it never becomes an etcd member. What the builder runs is kept under
// `extensions.builder`, by machine name (see the sandbox README, "Machines").
import { createHash } from 'node:crypto';
import { toNixBase32 } from '../binary-cache/nix-base32';
import type { MachineDurations } from './machine-durations';
import { StepArgumentError, StepFailure, type StepContext, type StepHandler } from './machine-steps';

export interface OxygenRecord {
  container: { image: string; cpus: number; memoryGb: number; startedAt: number } | null;
  /** When the push loop last uploaded (the model's: the last cache check that found the container running). */
  lastPushAt?: number;
  agent: { serverAddr: string; labels: Record<string, string>; taints: string[] } | null;
  /** Who runs the builder container: its unit, or (after a handover) a Kubernetes workload pinned to Oxygen. */
  runsAs?: 'unit' | 'workload';
  /** Whether the builder's /nix volume exists (a teardown keeps it unless told to purge it). */
  storeVolume?: boolean;
  /** Whether the cluster holds Oxygen's Node object: the agent registered it, and only a delete on a server removes it. */
  nodeObject?: boolean;
}

/** The Nix in the builder image (docker.io/nixos/nix), as `nix --version` on it says. */
export const SANDBOX_BUILDER_NIX = 'nix (Nix) 2.24.9';
/** Free space on the builder's /nix volume, as the model reports it. */
export const SANDBOX_NIX_FREE_BYTES = 200 * 1024 ** 3;

function records(context: StepContext): Record<string, OxygenRecord> {
  const existing = context.world.extensions.builder as Record<string, OxygenRecord> | undefined;
  if (existing) return existing;
  const fresh: Record<string, OxygenRecord> = {};
  context.world.extensions.builder = fresh;
  return fresh;
}

function requireOutsideHetzner(context: StepContext, step: string): void {
  if (context.machine.serverId !== null)
    throw new StepFailure(`${step} runs on a machine outside Hetzner; ${context.machine.name} is a Hetzner server`);
}

function deployDuration(durations: MachineDurations): number {
  return durations.rebuild;
}

export const OXYGEN_STEPS: Record<string, StepHandler> = {
  /** What status and provision read: the deployed generation, the container, Nix, /nix, the node. */
  'oxygen-probe'(context) {
    requireOutsideHetzner(context, 'oxygen-probe');
    const { machine } = context;
    const record = records(context)[machine.name] ?? null;
    const view = context.view();
    return {
      durationMs: context.durations.probe,
      result: {
        generation: machine.os?.generation ?? null,
        container: record?.container ? { running: true, image: record.container.image } : null,
        runsAs: record?.container ? (record.runsAs ?? 'unit') : null,
        storeVolume: record?.storeVolume ?? false,
        nixVersion: record?.container ? SANDBOX_BUILDER_NIX : null,
        nixFreeBytes: record?.container ? SANDBOX_NIX_FREE_BYTES : null,
        lastPushAgeSeconds:
          record?.lastPushAt === undefined ? null : Math.round((context.now - record.lastPushAt) / 1000),
        k3s: machine.k3s
          ? {
              role: machine.k3s.role,
              ready: view.ready.includes(machine.name),
              labels: record?.agent?.labels ?? {},
              taints: record?.agent?.taints ?? [],
            }
          : null,
      },
    };
  },

  /** The files in place and the commands run: the generation, the container, the k3s agent. */
  'oxygen-deploy'(context) {
    requireOutsideHetzner(context, 'oxygen-deploy');
    const { machine, args, now, world } = context;
    const generation = args.generation;
    if (typeof generation !== 'string' || !generation)
      throw new StepArgumentError('needs "generation" as a non-empty string');
    const container = (args.container ?? null) as OxygenRecord['container'];
    const agent = (args.agent ?? null) as OxygenRecord['agent'];
    if (agent && (typeof agent.serverAddr !== 'string' || !Array.isArray(agent.taints)))
      throw new StepArgumentError('takes "agent" as {serverAddr, labels, taints} or null');
    if (agent && world.etcdMembers.some((m) => m.name === machine.name))
      throw new StepFailure(`${machine.name} is an etcd member; a k3s agent never is`);
    const durationMs = deployDuration(context.durations);
    const servers = Object.values(world.machines).filter((m) => m.k3s?.role === 'server');
    const before = records(context)[machine.name];
    records(context)[machine.name] = {
      container: container ? { ...container, startedAt: now + durationMs } : null,
      agent,
      // A deploy (re)starts the builder's unit, so the unit runs it again until the next handover.
      runsAs: 'unit',
      storeVolume: Boolean(container) || (before?.storeVolume ?? false),
      nodeObject: Boolean(agent) || (before?.nodeObject ?? false),
    };
    machine.k3s = agent
      ? {
          role: 'agent',
          // The agent runs the servers' k3s; it joins whenever they answer.
          version: servers[0]?.k3s?.version ?? 'unknown',
          readyAt: now + durationMs + context.durations.ready,
          stuck: context.fault('not_ready'),
          drained: false,
        }
      : null;
    machine.os = { generation, deployedAt: now };
    return { durationMs };
  },

  /**
   * Provision's cache check, as the model sees it: Oxygen adds a small path to its builder's
   * store, and its push loop (which runs with the container) uploads it to the cache, signed.
   * The model has no cache of its own: it answers from the container's state, and the journal
   * keeps the step.
   */
  'oxygen-cache-check'(context) {
    requireOutsideHetzner(context, 'oxygen-cache-check');
    const { machine, args } = context;
    const generation = args.generation;
    if (typeof generation !== 'string' || !generation)
      throw new StepArgumentError('needs "generation" as a non-empty string');
    const record = records(context)[machine.name];
    if (record?.container) record.lastPushAt = context.now;
    const hash = toNixBase32(createHash('sha256').update(generation).digest()).slice(0, 32);
    return {
      durationMs: context.durations.probe,
      result: {
        storePath: `/nix/store/${hash}-personal-cloud-cache-probe`,
        pushed: Boolean(record?.container),
      },
    };
  },

  /**
   * builder:destroy on Oxygen: the units stopped and removed, the container gone, the agent
   * stopped (its Node object stays until a server deletes it), the generation marker removed. A
   * handed-over builder goes too: its pod stops with the agent and podman's container is removed.
   * The /nix volume stays unless `purgeStore` is true.
   */
  'oxygen-teardown'(context) {
    requireOutsideHetzner(context, 'oxygen-teardown');
    const { machine, args } = context;
    if (typeof args.purgeStore !== 'boolean') throw new StepArgumentError('needs "purgeStore" as a boolean');
    const all = records(context);
    const record = all[machine.name];
    const storeVolume = !args.purgeStore && (record?.storeVolume ?? false);
    const nodeObject = record?.nodeObject ?? false;
    if (storeVolume || nodeObject) all[machine.name] = { container: null, agent: null, storeVolume, nodeObject };
    else delete all[machine.name];
    machine.k3s = null;
    machine.os = null;
    return { durationMs: context.durations.probe, result: { storeVolume } };
  },

  /**
   * `kubectl delete node <args.node>` on a k3s server: the cluster forgets an agent that left. The
   * step runs on the server (a Hetzner machine); it needs the API, so etcd's quorum.
   */
  'oxygen-node-delete'(context) {
    const { machine, args, world } = context;
    const node = args.node;
    if (typeof node !== 'string' || !node) throw new StepArgumentError('needs "node" as a non-empty string');
    if (machine.k3s?.role !== 'server') throw new StepFailure(`${machine.name} is not a k3s server`);
    if (!context.view().quorum) throw new StepFailure('the Kubernetes API does not answer: etcd has no quorum');
    const record = records(context)[node];
    const existed = record?.nodeObject ?? false;
    // An agent that still runs registers its Node again at once, as k3s's does.
    const agent = world.machines[node];
    if (record) record.nodeObject = Boolean(agent?.k3s && context.isOn(agent));
    return { durationMs: context.durations.probe, result: { deleted: existed } };
  },

  /**
   * The handover (`to: "kubernetes"`): the unit stopped and disabled, the workload applied, pinned
   * to Oxygen, on the same /nix volume; only once Oxygen is a Ready node. The way back (`to: "unit"`):
   * the workload deleted, the unit enabled and started. The store is kept either way.
   */
  'oxygen-handover'(context) {
    requireOutsideHetzner(context, 'oxygen-handover');
    const { machine, args } = context;
    if (args.to !== 'kubernetes' && args.to !== 'unit')
      throw new StepArgumentError('needs "to": "kubernetes" or "unit"');
    const record = records(context)[machine.name];
    if (!record?.container) throw new StepFailure(`${machine.name} runs no builder container to hand over`);
    if (args.to === 'kubernetes' && !context.view().ready.includes(machine.name))
      throw new StepFailure(`${machine.name} is not a Ready node, so no workload can run there yet`);
    record.runsAs = args.to === 'kubernetes' ? 'workload' : 'unit';
    return { durationMs: context.durations.probe };
  },
};
