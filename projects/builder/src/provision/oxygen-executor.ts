// The one interface provision and status reach Oxygen through, as the hosts layer reaches its
// nodes: over SSH to Oxygen's Tailscale name (ssh-oxygen-executor.ts), or the sandbox's machine
// model, where Oxygen is a machine outside Hetzner (sandbox-oxygen-executor.ts). Which one is
// chosen by the world (choose-oxygen-executor.ts); nothing else knows it.
import { CloudError } from '@personal-cloud/cluster';
import type { OxygenDeployment } from './oxygen-deployment';

export interface OxygenTarget {
  /** Its node and host name, e.g. `oxygen`. */
  name: string;
  /** Where SSH reaches it: its Tailscale name, `host` or `host:port`. */
  sshAddress: string;
  /** Its tailnet address (the sandbox registers Oxygen there). */
  tailscaleIp: string;
}

export interface OxygenProbe {
  /** The generation Oxygen's marker names; null before the first deploy. */
  generation: string | null;
  container: { running: boolean } | null;
  /** `nix --version` in the builder container. */
  nixVersion: string | null;
  /** Free bytes on the builder's /nix. */
  nixFreeBytes: number | null;
  k3s: { role: 'server' | 'agent'; ready: boolean; labels: Record<string, string>; taints: string[] } | null;
}

export interface OxygenExecutor {
  /** 'ssh' or 'sandbox': for messages only; no caller branches on it. */
  readonly kind: string;
  /** The generation Oxygen's marker names (null before the first deploy): all provision needs. */
  generation(target: OxygenTarget): Promise<string | null>;
  /** Everything status shows. */
  probe(target: OxygenTarget): Promise<OxygenProbe>;
  /** Copies the files, runs the commands in order, then writes the generation marker; stops at the first failure. */
  deploy(target: OxygenTarget, deployment: OxygenDeployment): Promise<void>;
  close(): Promise<void>;
}

/** A step on Oxygen that failed; `unreachable` when Oxygen does not answer at all (a sleeping desktop). */
export class OxygenStepError extends CloudError {
  constructor(
    readonly step: string,
    readonly reason: 'unreachable' | 'host-key' | 'failed',
    message: string,
  ) {
    super(message);
  }
}
