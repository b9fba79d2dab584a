// The machine executor for real machines: zx runs `ssh` for the probes, the etcd commands and the
// kubeconfig, `nixos-anywhere` for installs and `nixos-rebuild switch --target-host` for changes.
// SSH trusts exactly the node's host key from the vault (StrictHostKeyChecking, a known_hosts
// file of its own) and the operator's key; both files live in the vault's secure temp folder.
import type { ProcessOutput } from 'zx';
import { knownHostsLine, lastStderrLine, splitSshAddress, sshFailureKind, sshOptions } from '@personal-cloud/layer-kit';
import { createSecureTempDir, toOpenSshPrivateKey, type SecureTempDir } from '@personal-cloud/vault';
import { nixosAnywhereArgs } from '../install/nixos-anywhere-args';
import { extraFilesScript } from '../provision/extra-files';
import {
  MachineStepError,
  type DeployStep,
  type EtcdMemberState,
  type MachineExecutor,
  type MachineTarget,
  type NodeProbe,
} from './machine-executor';

/** zx on first use: loading it costs about 50 ms of every start, and a run that finds nothing to do never needs it. */
const zx = () => import('zx');

export interface DeploySource {
  /** The locked flake copy (with the render input overridden). */
  flake: string;
  /** The node's extra files, laid out as its root, in a secure temp folder. */
  extraFilesDir: string;
  /** Oxygen as a remote builder, when it answers. */
  builders?: string;
}

export interface SshExecutorOptions {
  /** The operator's private key: OpenSSH form, or the PKCS#8 PEM older sandbox vaults hold. */
  operatorPrivateKey: string;
  /** The k3s node name (the host name) of each node, by node name. */
  hostNames: Record<string, string>;
  /** Where a deploy's flake and extra files come from; needed by install and rebuild only. */
  deploySource?: (target: MachineTarget) => Promise<DeploySource>;
  connectTimeoutSeconds?: number;
  /** k3s's kubeconfig on the node; default /etc/rancher/k3s/k3s.yaml. */
  kubeconfigPath?: string;
  /** Local commands, replaceable for tests. */
  commands?: { ssh?: string; nixosAnywhere?: string; nixosRebuild?: string };
}

const READY = `{.status.conditions[?(@.type=="Ready")].status}`;
const CONTROL_PLANE = '{.metadata.labels.node-role\\.kubernetes\\.io/control-plane}';
const ETCD = '{.metadata.labels.node-role\\.kubernetes\\.io/etcd}';

export class SshExecutor implements MachineExecutor {
  readonly kind = 'ssh';
  /** A NixOS install reboots and k3s pulls its images: minutes, not seconds. */
  readonly timing = { pollMs: 5_000, readyTimeoutMs: 15 * 60_000 };
  private files: Promise<{ dir: SecureTempDir; identity: string }> | undefined;
  private knownHosts = 0;

  constructor(private readonly options: SshExecutorOptions) {}

  /** Removes the identity and known_hosts files. */
  async close(): Promise<void> {
    if (this.files) await (await this.files).dir.remove();
    this.files = undefined;
  }

  /** ssh, nix (with flakes) and nixos-anywhere, before anything changes. */
  async preflight(): Promise<void> {
    const commands = this.options.commands ?? {};
    const needs = [
      { command: commands.ssh ?? 'ssh', how: 'install OpenSSH' },
      { command: 'nix', how: 'install Nix (https://nixos.org/download) and enable flakes' },
      {
        command: commands.nixosAnywhere ?? 'nixos-anywhere',
        how: 'run `nix profile install github:nix-community/nixos-anywhere`',
      },
      { command: commands.nixosRebuild ?? 'nixos-rebuild', how: 'run `nix profile install nixpkgs#nixos-rebuild`' },
    ];
    const missing: string[] = [];
    for (const need of needs)
      if ((await (await zx()).$({ nothrow: true, quiet: true })`sh -c ${`command -v ${need.command}`}`).exitCode !== 0)
        missing.push(`${need.command} (${need.how})`);
    if (missing.length)
      throw new MachineStepError(
        '-',
        'preflight',
        'failed',
        `the machine steps over SSH need ${missing.join(', ')}; nothing was changed.`,
      );
  }

  async install(target: MachineTarget, step: DeployStep): Promise<void> {
    const source = await this.deploySource(target, 'install');
    const { identity, knownHosts } = await this.sshFiles(target);
    const [host] = splitSshAddress(target.sshAddress);
    const args = nixosAnywhereArgs({
      flake: source.flake,
      node: target.node,
      targetHost: `root@${host}`,
      identityFile: identity,
      knownHostsFile: knownHosts,
      extraFilesDir: source.extraFilesDir,
      builders: source.builders,
    });
    void step; // the node's settings are in the flake; the step's fields are the sandbox's record of them
    await this.local(target, 'install', this.options.commands?.nixosAnywhere ?? 'nixos-anywhere', args, {});
  }

  async rebuild(target: MachineTarget, step: DeployStep): Promise<void> {
    void step;
    const source = await this.deploySource(target, 'rebuild');
    await this.remote(target, 'extra-files', await extraFilesScript(source.extraFilesDir));
    const [host] = splitSshAddress(target.sshAddress);
    const args = [
      'switch',
      '--flake',
      `${source.flake}#${target.node}`,
      '--target-host',
      `root@${host}`,
      ...(source.builders ? ['--option', 'builders', source.builders] : []),
    ];
    await this.local(target, 'rebuild', this.options.commands?.nixosRebuild ?? 'nixos-rebuild', args, {
      NIX_SSHOPTS: (await this.sshOptionsFor(target)).join(' '),
    });
  }

  async probe(target: MachineTarget): Promise<NodeProbe> {
    const name = this.hostName(target);
    const script = [
      'echo "generation=$(readlink /run/current-system 2>/dev/null)"',
      'if command -v k3s >/dev/null 2>&1; then',
      '  echo "version=$(k3s --version | head -n1 | cut -d" " -f3)"',
      `  echo "node=$(k3s kubectl get node ${name} -o jsonpath='${READY} ${CONTROL_PLANE} ${ETCD}' 2>/dev/null)"`,
      'fi',
    ].join('\n');
    const fields = Object.fromEntries(
      (await this.remote(target, 'probe', script))
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const)
        .filter(([key]) => key),
    );
    const [ready = '', controlPlane = '', etcd = ''] = (fields.node ?? '').split(' ');
    return {
      generation: fields.generation || null,
      k3s: fields.version
        ? { role: controlPlane === 'true' ? 'server' : 'agent', version: fields.version, ready: ready === 'True' }
        : null,
      etcd: { member: etcd === 'true', healthy: etcd === 'true' && ready === 'True' },
    };
  }

  async etcdMembers(target: MachineTarget): Promise<EtcdMemberState[]> {
    const out = await this.remote(
      target,
      'etcd-members',
      `k3s kubectl get nodes -l node-role.kubernetes.io/etcd=true -o jsonpath='{range .items[*]}{.metadata.name} ${READY}{"\\n"}{end}'`,
    );
    const nodeOf = new Map(Object.entries(this.options.hostNames).map(([node, host]) => [host, node]));
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [host = '', ready] = line.split(' ');
        return { name: nodeOf.get(host) ?? host, up: ready === 'True' };
      });
  }

  /** k3s removes a server's etcd member when its node object is deleted. */
  async etcdMemberRemove(target: MachineTarget, member: string): Promise<void> {
    await this.remote(
      target,
      'etcd-member-remove',
      `k3s kubectl delete node ${this.options.hostNames[member] ?? member}`,
    );
  }

  async etcdSnapshot(target: MachineTarget): Promise<string> {
    const name = `before-migration-${this.hostName(target)}`;
    await this.remote(target, 'etcd-snapshot', `k3s etcd-snapshot save --name ${name}`);
    return name;
  }

  async drain(via: MachineTarget, node: string): Promise<void> {
    const host = this.options.hostNames[node] ?? node;
    // `get --ignore-not-found` prints nothing for a node already deleted, and fails when the API does not answer.
    await this.remote(
      via,
      'drain',
      `found=$(k3s kubectl get node ${host} --ignore-not-found -o name) || exit 1; [ -z "$found" ] || k3s kubectl drain ${host} --ignore-daemonsets --delete-emptydir-data --timeout=10m`,
    );
  }

  async deleteNode(via: MachineTarget, leaving: MachineTarget): Promise<void> {
    // A worker that does not answer is off (or gone): its kubelet cannot register it again either.
    if (leaving.sshAddress && leaving.hostPublicKey)
      await this.remote(leaving, 'stop-k3s-agent', 'systemctl stop k3s-agent').catch((error: unknown) => {
        if (!(error instanceof MachineStepError && error.reason === 'unreachable')) throw error;
      });
    await this.remote(
      via,
      'delete-node',
      `k3s kubectl delete node ${this.options.hostNames[leaving.node] ?? leaving.node} --ignore-not-found`,
    );
  }

  /** The etcd data and server state only; the agent's own state stays. */
  async clearServerData(target: MachineTarget): Promise<void> {
    await this.remote(
      target,
      'clear-server-data',
      'systemctl stop k3s && rm -rf /var/lib/rancher/k3s/server/db /var/lib/rancher/k3s/server/tls',
    );
  }

  async leaveTailnet(target: MachineTarget): Promise<void> {
    await this.remote(target, 'tailscale-logout', 'tailscale logout');
  }

  async fetchKubeconfig(target: MachineTarget, apiHost: string): Promise<string> {
    const path = this.options.kubeconfigPath ?? '/etc/rancher/k3s/k3s.yaml';
    const text = await this.remote(target, 'kubeconfig', `cat ${path}`);
    if (!/server: https:\/\/127\.0\.0\.1:6443/.test(text))
      throw new MachineStepError(
        target.node,
        'kubeconfig',
        'failed',
        `kubeconfig on ${target.node}: ${path} names no server https://127.0.0.1:6443, so it is not k3s's own file.`,
      );
    return text.replace(/server: https:\/\/127\.0\.0\.1:6443/g, `server: https://${apiHost}:6443`);
  }

  private hostName(target: MachineTarget): string {
    return this.options.hostNames[target.node] ?? target.node;
  }

  private async deploySource(target: MachineTarget, step: string): Promise<DeploySource> {
    if (!this.options.deploySource)
      throw new MachineStepError(
        target.node,
        step,
        'failed',
        `${step} on ${target.node}: this executor was made without a deploy source (flake and extra files).`,
      );
    return this.options.deploySource(target);
  }

  /** The operator's identity (once) and a known_hosts file holding only this node's key. */
  private async sshFiles(target: MachineTarget): Promise<{ identity: string; knownHosts: string }> {
    this.files ??= (async () => {
      const dir = await createSecureTempDir();
      const identity = await dir.writeFile('operator-key', toOpenSshPrivateKey(this.options.operatorPrivateKey));
      return { dir, identity };
    })();
    const { dir, identity } = await this.files;
    const [host, port] = splitSshAddress(target.sshAddress);
    const knownHosts = await dir.writeFile(
      `known-hosts-${this.knownHosts++}`,
      knownHostsLine(host, port, target.hostPublicKey),
    );
    return { identity, knownHosts };
  }

  /** ssh's options for the node: the operator's key, only its host key trusted. */
  private async sshOptionsFor(target: MachineTarget): Promise<string[]> {
    const { identity, knownHosts } = await this.sshFiles(target);
    const [, port] = splitSshAddress(target.sshAddress);
    const connectTimeoutSeconds = this.options.connectTimeoutSeconds ?? 10;
    return sshOptions({ identityFile: identity, knownHostsFile: knownHosts, port, connectTimeoutSeconds });
  }

  /** Runs `script` on the node as root over SSH; its stdout. */
  private async remote(target: MachineTarget, step: string, script: string): Promise<string> {
    const [host] = splitSshAddress(target.sshAddress);
    const args = [...(await this.sshOptionsFor(target)), `root@${host}`, '--', script];
    const output = await (await zx()).$({ nothrow: true, quiet: true })`${this.options.commands?.ssh ?? 'ssh'} ${args}`;
    if (output.exitCode === 0) return output.stdout;
    throw sshFailure(target, step, output);
  }

  private async local(
    target: MachineTarget,
    step: string,
    command: string,
    args: string[],
    env: Record<string, string>,
  ): Promise<void> {
    const output = await (await zx()).$({
      nothrow: true,
      quiet: true,
      env: { ...process.env, ...env },
    })`${command} ${args}`;
    if (output.exitCode !== 0) throw sshFailure(target, step, output);
  }
}

/** One sentence for a failed ssh (exit 255: the connection) or a failed command on the node. */
function sshFailure(target: MachineTarget, step: string, output: ProcessOutput): MachineStepError {
  const lastLine = lastStderrLine(output.stderr);
  const kind = sshFailureKind(output.exitCode, output.stderr);
  if (kind === 'host-key')
    return new MachineStepError(
      target.node,
      step,
      'host-key',
      `${step} on ${target.node}: ${target.sshAddress} presented a host key other than the one in the vault, so nothing was sent; if the server was reinstalled outside personal-cloud, check it before trusting it.`,
    );
  if (kind === 'unreachable')
    return new MachineStepError(
      target.node,
      step,
      'unreachable',
      `${step} on ${target.node}: ${target.sshAddress} does not answer on SSH (${lastLine.replace(/^ssh: /, '')}).`,
    );
  return new MachineStepError(
    target.node,
    step,
    'failed',
    `${step} on ${target.node} failed (exit ${output.exitCode}): ${lastLine || 'no message'}.`,
  );
}
