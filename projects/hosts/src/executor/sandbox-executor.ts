// The machine executor of the sandbox world: each step goes to the sandbox's machine model
// (POST /__sandbox/machines/steps) with the arguments the real tool would get, and the executor
// waits, on its clock, until the model says the step ends.
import { type MachineStepClock, MachineStepRefused, runMachineStep } from '@personal-cloud/sandbox';
import {
  MachineStepError,
  type DeployStep,
  type EtcdMemberState,
  type MachineExecutor,
  type MachineTarget,
  type NodeProbe,
} from './machine-executor';

export interface SandboxExecutorOptions extends MachineStepClock {
  /** The sandbox's origin, e.g. http://127.0.0.1:4646 (its API endpoint without /v1). */
  origin: string;
}

export class SandboxExecutor implements MachineExecutor {
  readonly kind = 'sandbox';
  /** The model's nodes are Ready within a few `ready` periods (ten for a slow member). */
  readonly timing = { pollMs: 25, readyTimeoutMs: 5_000 };
  constructor(private readonly options: SandboxExecutorOptions) {}

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

  async drain(via: MachineTarget, node: string): Promise<void> {
    await this.step('drain', via, { node });
  }

  async deleteNode(via: MachineTarget, leaving: MachineTarget): Promise<void> {
    await this.step('delete-node', via, { node: leaving.node });
  }

  async clearServerData(target: MachineTarget): Promise<void> {
    await this.step('clear-server-data', target, {});
  }

  async leaveTailnet(target: MachineTarget): Promise<void> {
    await this.step('tailscale-logout', target, {});
  }

  async fetchKubeconfig(target: MachineTarget, apiHost: string): Promise<string> {
    return ((await this.step('kubeconfig', target, { apiHost })) as { kubeconfig: string }).kubeconfig;
  }

  private async step(step: string, target: MachineTarget, args: Record<string, unknown>): Promise<unknown> {
    const request = { step, node: target.node, serverId: target.serverId, args };
    return runMachineStep(this.options.origin, request, this.options).catch((error: unknown) => {
      if (error instanceof MachineStepRefused)
        throw new MachineStepError(target.node, step, error.outcome, error.message);
      throw error;
    });
  }
}
