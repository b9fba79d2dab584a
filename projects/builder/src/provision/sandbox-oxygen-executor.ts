// Oxygen in the sandbox world: the machine model's Oxygen, a machine outside Hetzner. The first
// step registers it at its tailnet address when the model does not know it yet (the sandbox's
// stand-in for "the operator's desktop exists"); each step then goes to
// POST /__sandbox/machines/steps with serverId null and the arguments the real tools would get,
// file paths but never file contents.
import { type MachineStepClock, MachineStepRefused, runMachineStep } from '@personal-cloud/sandbox';
import type { OxygenDeployment } from './oxygen-deployment';
import type { OxygenHandover } from './oxygen-handover';
import type { OxygenTeardown } from './oxygen-teardown';
import { BUILDER_WORKLOAD } from '../render/builder-workload';
import type { CacheLine } from './cache-check';
import { OxygenStepError, type OxygenCacheCheck, type OxygenExecutor, type OxygenProbe } from './oxygen-executor';
import type { OxygenTarget } from './oxygen-executor';

export interface SandboxOxygenExecutorOptions extends MachineStepClock {
  /** The sandbox's origin, e.g. http://127.0.0.1:4646. */
  origin: string;
}

export class SandboxOxygenExecutor implements OxygenExecutor {
  readonly kind = 'sandbox';
  private registered = false;

  constructor(private readonly options: SandboxOxygenExecutorOptions) {}

  async probe(target: OxygenTarget): Promise<OxygenProbe> {
    return (await this.step('oxygen-probe', target, {})) as OxygenProbe;
  }

  async generation(target: OxygenTarget): Promise<string | null> {
    return (await this.probe(target)).generation;
  }

  async deploy(target: OxygenTarget, deployment: OxygenDeployment): Promise<void> {
    await this.step('oxygen-deploy', target, {
      generation: deployment.generation,
      files: deployment.files.map((f) => f.path),
      commands: deployment.commands,
      ...deployment.summary,
    });
  }

  /** The model has no cache: the step answers from the container's state, and the journal keeps it. */
  async checkCache(target: OxygenTarget, cache: OxygenCacheCheck): Promise<CacheLine[]> {
    let answer: { storePath: string; pushed: boolean };
    try {
      answer = (await this.step('oxygen-cache-check', target, {
        generation: cache.generation,
        cacheUrl: cache.cacheUrl,
      })) as typeof answer;
    } catch (error) {
      if (!(error instanceof OxygenStepError)) throw error;
      return [{ ok: false, text: `push: ${error.message.replace(/\.$/, '')}, so the cache was not checked` }];
    }
    const { storePath, pushed } = answer;
    return pushed
      ? [
          { ok: true, text: `push: ${storePath} reached ${cache.cacheUrl} (the sandbox's model of the push loop)` },
          { ok: true, text: `substitution: the model's cache serves it signed by ${cache.keyName}` },
        ]
      : [
          { ok: false, text: `push: ${target.name} runs no builder container, so nothing reaches ${cache.cacheUrl}` },
          { ok: false, text: `substitution: nothing to substitute from ${cache.cacheUrl} until the push works` },
        ];
  }

  async teardown(target: OxygenTarget, teardown: OxygenTeardown): Promise<void> {
    await this.step('oxygen-teardown', target, {
      purgeStore: teardown.purgeStore,
      commands: teardown.commands,
      paths: teardown.paths,
      after: teardown.after,
    });
  }

  /** One step: the model has no workloads of its own; it records who runs the container. */
  async handover(target: OxygenTarget, handover: OxygenHandover): Promise<void> {
    await this.step('oxygen-handover', target, {
      to: handover.to,
      commands: handover.onOxygen,
      workload: `dist/builder/render/${BUILDER_WORKLOAD.file}`,
      secret: `${handover.secret.namespace}/${handover.secret.name}`,
    });
  }

  /**
   * `kubectl delete node` through the first k3s server of `servers` that answers (a Hetzner
   * machine of the model); whether the cluster held the node. Throws when no server answers.
   */
  async deleteNode(node: string, servers: readonly { name: string; serverId: number | null }[]): Promise<boolean> {
    const reasons: string[] = [];
    for (const server of servers) {
      try {
        const answer = await runMachineStep(
          this.options.origin,
          { step: 'oxygen-node-delete', node: server.name, serverId: server.serverId, args: { node } },
          this.options,
        );
        return (answer as { deleted: boolean }).deleted;
      } catch (error) {
        if (!(error instanceof MachineStepRefused)) throw error;
        reasons.push(`${server.name}: ${error.message.replace(/\.$/, '')}`);
      }
    }
    throw new OxygenStepError(
      'delete node',
      'unreachable',
      `no k3s server answered (${reasons.join('; ') || 'none is known'}).`,
    );
  }

  async close(): Promise<void> {}

  private async register(target: OxygenTarget): Promise<void> {
    if (this.registered) return;
    const machines = (await (await fetch(`${this.options.origin}/__sandbox/machines`)).json()) as {
      machines: { machines: Record<string, unknown> };
    };
    if (!machines.machines.machines[target.name]) {
      const response = await fetch(`${this.options.origin}/__sandbox/machines/external`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: target.name, address: target.tailscaleIp }),
      });
      if (!response.ok)
        throw new OxygenStepError(
          'register',
          'failed',
          `the sandbox refused to register ${target.name}: ${response.status}.`,
        );
    }
    this.registered = true;
  }

  private async step(step: string, target: OxygenTarget, args: Record<string, unknown>): Promise<unknown> {
    await this.register(target);
    const request = { step, node: target.name, serverId: null, args };
    return runMachineStep(this.options.origin, request, this.options).catch((error: unknown) => {
      if (error instanceof MachineStepRefused) throw new OxygenStepError(step, error.outcome, error.message);
      throw error;
    });
  }
}
