// The one interface provision and status reach Oxygen through, as the hosts layer reaches its
// nodes: over SSH to Oxygen's Tailscale name (ssh-oxygen-executor.ts), or the sandbox's machine
// model, where Oxygen is a machine outside Hetzner (sandbox-oxygen-executor.ts). Which one is
// chosen by the world (choose-oxygen-executor.ts); nothing else knows it.
import { CloudError } from '@personal-cloud/cluster';
import type { CacheLine } from './cache-check';
import type { OxygenDeployment } from './oxygen-deployment';
import type { OxygenHandover } from './oxygen-handover';
import type { OxygenTeardown } from './oxygen-teardown';

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
  /** Who runs the builder container: its unit, or a Kubernetes workload after a handover; null when none runs. */
  runsAs: 'unit' | 'workload' | null;
  /** `nix --version` in the builder container. */
  nixVersion: string | null;
  /** Free bytes on the builder's /nix. */
  nixFreeBytes: number | null;
  k3s: { role: 'server' | 'agent'; ready: boolean; labels: Record<string, string>; taints: string[] } | null;
  /** Seconds since the push loop last uploaded a path; null when it never has, or nothing says. */
  lastPushAgeSeconds: number | null;
}

export interface OxygenCacheCheck {
  cacheUrl: string;
  /** The cache key's name as signatures carry it. */
  keyName: string;
  /** The deployed generation: the probe path's content, so each generation checks a path of its own. */
  generation: string;
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
  /**
   * After a deploy: Oxygen adds a small path to the builder's store, and the cache is asked for it
   * as a host would ask (the push, then the substitution). Red lines, never a thrown error, for a
   * cache or a push loop that does not work.
   */
  checkCache(target: OxygenTarget, cache: OxygenCacheCheck): Promise<CacheLine[]>;
  /** builder:destroy on Oxygen: runs the teardown's commands in order; the store stays unless purged. */
  teardown(target: OxygenTarget, teardown: OxygenTeardown): Promise<void>;
  /** Moves the builder container between its unit and the Kubernetes workload pinned to Oxygen; the store stays. */
  handover(target: OxygenTarget, handover: OxygenHandover): Promise<void>;
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
