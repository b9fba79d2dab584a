// The machine executor of the sandbox world: each step goes to the sandbox's machine model
// (POST /__sandbox/machines/steps) with the arguments the real tool would get, and the executor
// waits, on its clock, until the model says the step ends.
import {
  MachineStepError,
  type DeployStep,
  type EtcdMemberState,
  type MachineExecutor,
  type MachineTarget,
  type NodeProbe,
} from './machine-executor';

export interface SandboxExecutorOptions {
  /** The sandbox's origin, e.g. http://127.0.0.1:4646 (its API endpoint without /v1). */
  origin: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface StepAnswer {
  outcome: 'ok' | 'failed' | 'unreachable';
  message?: string;
  result?: unknown;
  finishesAt: number;
}

export class SandboxExecutor implements MachineExecutor {
  readonly kind = 'sandbox';
  /** The model's nodes are Ready within a few `ready` periods (ten for a slow member). */
  readonly timing = { pollMs: 25, readyTimeoutMs: 5_000 };
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SandboxExecutorOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The sandbox needs nothing on the operator's machine. */
  async preflight(): Promise<void> {}

  async install(target: MachineTarget, step: DeployStep): Promise<void> {
    await this.step('install', target, { ...step, nodeIp: target.nodeIp });
  }

  async rebuild(target: MachineTarget, step: DeployStep): Promise<void> {
    await this.step('rebuild', target, { ...step, nodeIp: target.nodeIp });
  }

  async probe(target: MachineTarget): Promise<NodeProbe> {
    return (await this.step('probe', target, {})) as NodeProbe;
  }

  async etcdMembers(target: MachineTarget): Promise<EtcdMemberState[]> {
    return ((await this.step('etcd-members', target, {})) as { members: EtcdMemberState[] }).members;
  }

  async etcdMemberRemove(target: MachineTarget, member: string): Promise<void> {
    await this.step('etcd-member-remove', target, { member });
  }

  async etcdSnapshot(target: MachineTarget): Promise<string> {
    return ((await this.step('etcd-snapshot', target, {})) as { snapshot: string }).snapshot;
  }

  async drain(target: MachineTarget): Promise<void> {
    await this.step('drain', target, {});
  }

  async clearServerData(target: MachineTarget): Promise<void> {
    await this.step('clear-server-data', target, {});
  }

  async fetchKubeconfig(target: MachineTarget, apiHost: string): Promise<string> {
    return ((await this.step('kubeconfig', target, { apiHost })) as { kubeconfig: string }).kubeconfig;
  }

  private async step(step: string, target: MachineTarget, args: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(`${this.options.origin}/__sandbox/machines/steps`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ step, node: target.node, serverId: target.serverId, args }),
    });
    const answer = (await response.json()) as StepAnswer & { error?: { message: string } };
    if (!response.ok)
      throw new MachineStepError(
        target.node,
        step,
        'failed',
        `${step} on ${target.node}: the sandbox refused the step: ${answer.error?.message ?? response.status}.`,
      );
    if (answer.outcome === 'unreachable')
      throw new MachineStepError(target.node, step, 'unreachable', `${step} on ${target.node}: ${answer.message}.`);
    if (answer.outcome === 'failed')
      throw new MachineStepError(target.node, step, 'failed', `${step} on ${target.node} failed: ${answer.message}.`);
    const wait = answer.finishesAt - this.now();
    if (wait > 0) await this.sleep(wait);
    return answer.result;
  }
}
