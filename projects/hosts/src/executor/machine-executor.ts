// The one interface the hosts layer's machine steps go through. Two implementations: SSH and zx
// for real machines (ssh-executor.ts), and the sandbox's machine model (sandbox-executor.ts).
// Which one is chosen by the API endpoint (choose-executor.ts); nothing else knows the world.
import { CloudError } from '@personal-cloud/cluster';

/** A machine to run a step on: the node, its server, and how to reach it. */
export interface MachineTarget {
  node: string;
  /** The Hetzner server id (the sandbox reads its power from it). */
  serverId: number;
  /** Where SSH reaches it: `host` or `host:port`. */
  sshAddress: string;
  /** Its k3s node IP (private network). */
  nodeIp: string;
  /** Its SSH host public key (`ssh-ed25519 AAAA…`), from the vault: the only key accepted. */
  hostPublicKey: string;
}

/** What a deploy (install or rebuild) puts on the node. */
export interface DeployStep {
  /** The configuration's hash: the OS generation the node ends on. */
  generation: string;
  role: 'server' | 'agent';
  version: string;
  bootstrap: boolean;
  serverAddr: string | null;
}

export interface NodeProbe {
  /** The deployed configuration's hash, or null when none of ours is deployed. */
  generation: string | null;
  k3s: { role: 'server' | 'agent'; version: string; ready: boolean } | null;
  etcd: { member: boolean; healthy: boolean };
}

export interface EtcdMemberState {
  name: string;
  up: boolean;
}

export interface MachineExecutor {
  /** 'ssh' or 'sandbox': for messages only; no caller branches on it. */
  readonly kind: string;
  /** How often to probe while waiting for Ready, and how long to wait at most (ms). */
  readonly timing: { pollMs: number; readyTimeoutMs: number };
  /** Before any step: what this executor needs on the operator's machine is there (one sentence naming what is not). */
  preflight(): Promise<void>;
  install(target: MachineTarget, step: DeployStep): Promise<void>;
  rebuild(target: MachineTarget, step: DeployStep): Promise<void>;
  probe(target: MachineTarget): Promise<NodeProbe>;
  etcdMembers(target: MachineTarget): Promise<EtcdMemberState[]>;
  /** Removes `member` from etcd, run on `target` (another server); etcd refuses it when it would break quorum. */
  etcdMemberRemove(target: MachineTarget, member: string): Promise<void>;
  /** An on-demand etcd snapshot on a server; its name. */
  etcdSnapshot(target: MachineTarget): Promise<string>;
  /**
   * Cordons `node` and evicts its workloads, run on `via`, a server (an agent has no admin
   * kubeconfig). A node that is no longer in the cluster is left as it is, so a rerun goes on.
   */
  drain(via: MachineTarget, node: string): Promise<void>;
  /**
   * Takes a worker out for good: its k3s agent stopped, when it answers, so its kubelet does not
   * register it again, and its node object deleted from `via`, a server; one already gone is fine.
   */
  deleteNode(via: MachineTarget, leaving: MachineTarget): Promise<void>;
  /** Stops k3s and removes its server data (a removed member must never rejoin with it). */
  clearServerData(target: MachineTarget): Promise<void>;
  /** `tailscale logout`: the node leaves the tailnet, so a later node of its name is not renamed `<name>-1`. */
  leaveTailnet(target: MachineTarget): Promise<void>;
  /** /etc/rancher/k3s/k3s.yaml with its server set to https://<apiHost>:6443. */
  fetchKubeconfig(target: MachineTarget, apiHost: string): Promise<string>;
}

/** A machine step that failed: names the node, the step and what happened, in one sentence. */
export class MachineStepError extends CloudError {
  constructor(
    readonly node: string,
    readonly step: string,
    readonly reason: 'unreachable' | 'host-key' | 'failed',
    message: string,
  ) {
    super(message);
  }
}
