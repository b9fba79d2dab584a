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
    records(context)[machine.name] = {
      container: container ? { ...container, startedAt: now + durationMs } : null,
      agent,
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
};
