// Oxygen over SSH, as root on its own sshd (port 22 of its Tailscale name; the builder's sshd on
// 2222 is the build user's only). A deploy copies each file with `install` (mode set, folders
// made), runs the commands one by one, and writes the generation marker last: a command that
// fails stops the deploy, names itself, and leaves the marker as it was, so the next run deploys
// again. SSH trusts exactly Oxygen's host key when the vault has it (vars.OXYGEN.ssh_host_public_key),
// else the operator's own known_hosts; never a key it has not seen.
import { $, type ProcessOutput } from 'zx';
import { createSecureTempDir, toOpenSshPrivateKey, type SecureTempDir } from '@personal-cloud/vault';
import { GENERATION_MARKER, type OxygenDeployment } from './oxygen-deployment';
import { OxygenStepError, type OxygenExecutor, type OxygenProbe, type OxygenTarget } from './oxygen-executor';
import { BUILDER, OXYGEN_K3S } from '../render/builder-settings';

export interface SshOxygenExecutorOptions {
  /** The operator's private key; null uses the operator's ssh agent and ~/.ssh as they are. */
  operatorPrivateKey: string | null;
  /** Oxygen's sshd host key (`ssh-ed25519 AAAA…`); null trusts the operator's known_hosts. */
  hostPublicKey: string | null;
  user?: string;
  connectTimeoutSeconds?: number;
  /** Prefixed to every path a deploy writes; tests point it at a temporary folder. Default none. */
  root?: string;
}

export class SshOxygenExecutor implements OxygenExecutor {
  readonly kind = 'ssh';
  private files: Promise<{ dir: SecureTempDir; args: string[] }> | undefined;

  constructor(private readonly options: SshOxygenExecutorOptions) {}

  async close(): Promise<void> {
    if (this.files) await (await this.files).dir.remove();
    this.files = undefined;
  }

  async probe(target: OxygenTarget): Promise<OxygenProbe> {
    const container = BUILDER.container;
    const script = [
      `echo "generation=$(cat ${this.path(GENERATION_MARKER)} 2>/dev/null)"`,
      `echo "running=$(podman inspect --format '{{.State.Running}}' ${container} 2>/dev/null)"`,
      `echo "nix=$(podman exec ${container} nix --version 2>/dev/null)"`,
      `echo "free=$(podman exec ${container} df --output=avail -B1 /nix 2>/dev/null | tail -n1)"`,
      `echo "agent=$(systemctl is-active ${OXYGEN_K3S.unit} 2>/dev/null)"`,
    ].join('\n');
    const fields = Object.fromEntries(
      (await this.ssh(target, 'probe', script))
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
    );
    const free = Number(fields.free);
    return {
      generation: fields.generation || null,
      container: fields.running ? { running: fields.running === 'true' } : null,
      nixVersion: fields.nix || null,
      nixFreeBytes: fields.free && Number.isFinite(free) ? free : null,
      // Over SSH Oxygen sees its agent's unit; whether the node is Ready is the cluster's to say (status).
      k3s:
        fields.agent && fields.agent !== 'inactive'
          ? { role: 'agent', ready: fields.agent === 'active', labels: {}, taints: [] }
          : null,
    };
  }

  async deploy(target: OxygenTarget, deployment: OxygenDeployment): Promise<void> {
    for (const file of deployment.files)
      await this.ssh(
        target,
        `copy ${file.path}`,
        `install -D -m ${file.mode.toString(8).padStart(4, '0')} /dev/stdin ${this.path(file.path)}`,
        file.content,
      );
    for (const command of deployment.commands) await this.ssh(target, command, command);
    await this.ssh(
      target,
      'the generation marker',
      `install -D -m 0644 /dev/stdin ${this.path(GENERATION_MARKER)}`,
      `${deployment.generation}\n`,
    );
  }

  private path(path: string): string {
    return `${this.options.root ?? ''}${path}`;
  }

  private async sshArgs(): Promise<string[]> {
    this.files ??= (async () => {
      const dir = await createSecureTempDir();
      const args: string[] = [];
      if (this.options.operatorPrivateKey)
        args.push(
          '-i',
          await dir.writeFile('operator-key', toOpenSshPrivateKey(this.options.operatorPrivateKey)),
          '-o',
          'IdentitiesOnly=yes',
        );
      return { dir, args };
    })();
    return (await this.files).args;
  }

  private async ssh(target: OxygenTarget, step: string, script: string, input?: string): Promise<string> {
    const [host, port] = splitAddress(target.sshAddress);
    const identity = await this.sshArgs();
    const pinned: string[] = [];
    if (this.options.hostPublicKey) {
      const { dir } = await this.files!;
      const pattern = port === '22' ? host : `[${host}]:${port}`;
      const known = await dir.writeFile(
        'oxygen-known-hosts',
        `${pattern} ${this.options.hostPublicKey.split(' ').slice(0, 2).join(' ')}\n`,
      );
      pinned.push('-o', `UserKnownHostsFile=${known}`, '-o', 'GlobalKnownHostsFile=/dev/null');
    }
    const args = [
      '-F',
      '/dev/null',
      ...identity,
      ...pinned,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      `ConnectTimeout=${this.options.connectTimeoutSeconds ?? 10}`,
      '-o',
      'LogLevel=ERROR',
      '-p',
      port,
      `${this.options.user ?? 'root'}@${host}`,
      '--',
      script,
    ];
    const output = await $({ nothrow: true, quiet: true, input: input ?? '' })`ssh ${args}`;
    if (output.exitCode === 0) return output.stdout;
    throw sshFailure(target, step, output);
  }
}

/** One sentence for a failed ssh (exit 255: the connection) or a failed command on Oxygen. */
function sshFailure(target: OxygenTarget, step: string, output: ProcessOutput): OxygenStepError {
  const stderr = output.stderr.trim();
  const lastLine = stderr.split('\n').filter(Boolean).at(-1) ?? '';
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|host key for .* has changed/i.test(stderr))
    return new OxygenStepError(
      step,
      'host-key',
      `${target.name}: ${target.sshAddress} presented a host key other than the one trusted for it, so nothing was sent.`,
    );
  if (
    output.exitCode === 255 &&
    /Connection refused|timed out|No route to host|Could not resolve|Network is unreachable|Connection closed|Connection reset/i.test(
      stderr,
    )
  )
    return new OxygenStepError(
      step,
      'unreachable',
      `${target.name} does not answer at ${target.sshAddress} (${lastLine.replace(/^ssh: /, '')}).`,
    );
  return new OxygenStepError(
    step,
    'failed',
    `${target.name}: \`${step}\` failed (exit ${output.exitCode}): ${lastLine || 'no message'}.`,
  );
}

function splitAddress(address: string): [string, string] {
  const match = /^(.*):(\d+)$/.exec(address);
  return match ? [match[1]!, match[2]!] : [address, '22'];
}
