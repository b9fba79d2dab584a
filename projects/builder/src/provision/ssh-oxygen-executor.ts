// Oxygen over SSH, as root on its own sshd (port 22 of its Tailscale name; the builder's sshd on
// 2222 is the build user's only). A deploy copies each file with `install` (mode set, folders
// made), runs the commands one by one, and writes the generation marker last: a command that
// fails stops the deploy, names itself, and leaves the marker as it was, so the next run deploys
// again. SSH trusts exactly Oxygen's host key when the vault has it (vars.OXYGEN.ssh_host_public_key),
// else the operator's own known_hosts; never a key it has not seen.
import { spawn } from 'node:child_process';
import type { ProcessOutput } from 'zx';
import { knownHostsLine, lastStderrLine, splitSshAddress, sshFailureKind, sshOptions } from '@personal-cloud/layer-kit';
import { createSecureTempDir, toOpenSshPrivateKey, type SecureTempDir } from '@personal-cloud/vault';
import { checkCache, type CacheCheckPacing, type CacheLine, type NixRunner } from './cache-check';
import { GENERATION_MARKER, type OxygenDeployment } from './oxygen-deployment';
import type { OxygenHandover } from './oxygen-handover';
import type { OxygenTeardown } from './oxygen-teardown';
import type { Kubectl } from './kubectl';
import { BUILDER_WORKLOAD } from '../render/builder-workload';
import { OxygenStepError, type OxygenCacheCheck, type OxygenExecutor, type OxygenProbe } from './oxygen-executor';
import type { OxygenTarget } from './oxygen-executor';
import { BUILDER, OXYGEN_K3S, PUSH } from '../render/builder-settings';

/** zx on first use: loading it costs about 50 ms of every start, and a run that finds nothing to do never needs it. */
const zx = () => import('zx');

export interface SshOxygenExecutorOptions {
  /** The operator's private key; null uses the operator's ssh agent and ~/.ssh as they are. */
  operatorPrivateKey: string | null;
  /** Oxygen's sshd host key (`ssh-ed25519 AAAA…`); null trusts the operator's known_hosts. */
  hostPublicKey: string | null;
  user?: string;
  connectTimeoutSeconds?: number;
  /** Prefixed to every path a deploy writes; tests point it at a temporary folder. Default none. */
  root?: string;
  /** The local nixos-rebuild (an Oxygen that runs NixOS); replaceable for tests. */
  nixosRebuild?: string;
  /** The local nix that asks the cache; replaceable for tests. */
  nix?: NixRunner;
  /** How long the cache check waits for the push loop: by default 6 asks, 5 s apart. */
  cachePacing?: CacheCheckPacing;
  /** kubectl with the vault's kubeconfig, for the handover's workload; null when the vault has none. */
  kubectl?: Kubectl | null;
}

/** The probe path's name in the builder's store. */
const CACHE_PROBE = 'personal-cloud-cache-probe';

export class SshOxygenExecutor implements OxygenExecutor {
  readonly kind = 'ssh';
  private files: Promise<{ dir: SecureTempDir; identity: string | null }> | undefined;
  private readonly knownHosts = new Map<string, Promise<string>>();
  /** One SSH connection per address, shared by every step of a run (a deploy is many sessions). */
  private readonly masters = new Map<string, Promise<boolean>>();

  constructor(private readonly options: SshOxygenExecutorOptions) {}

  async close(): Promise<void> {
    for (const [address, master] of this.masters)
      if (await master)
        await runSsh([...(await this.connectionArgs(address)), '-O', 'exit', ...this.destination(address)]);
    this.masters.clear();
    if (this.files) await (await this.files).dir.remove();
    this.files = undefined;
    this.knownHosts.clear();
  }

  async probe(target: OxygenTarget): Promise<OxygenProbe> {
    const container = BUILDER.container;
    const script = [
      `echo "generation=$(cat ${this.path(GENERATION_MARKER)} 2>/dev/null)"`,
      `echo "running=$(podman inspect --format '{{.State.Running}}' ${container} 2>/dev/null)"`,
      `echo "nix=$(podman exec ${container} nix --version 2>/dev/null)"`,
      `echo "free=$(podman exec ${container} df --output=avail -B1 /nix 2>/dev/null | tail -n1)"`,
      `echo "agent=$(systemctl is-active ${OXYGEN_K3S.unit} 2>/dev/null)"`,
      `echo "unit=$(systemctl is-active ${BUILDER.unit} 2>/dev/null)"`,
      // attic watch-store logs a line per path it uploads: the last such line's time is the last push.
      `echo "pushed=$(journalctl -u ${PUSH.unit} -o short-unix --no-pager -g /nix/store/ -n 1 2>/dev/null | tail -n1 | cut -d' ' -f1)"`,
      'echo "now=$(date +%s)"',
    ].join('\n');
    const fields = Object.fromEntries(
      (await this.ssh(target, 'probe', script))
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
    );
    const free = Number(fields.free);
    const pushedAt = Number.parseFloat(fields.pushed ?? '');
    const now = Number(fields.now);
    return {
      generation: fields.generation || null,
      container: fields.running ? { running: fields.running === 'true' } : null,
      // A container that runs while its unit does not is the workload's (the handover stopped the unit).
      runsAs: fields.running === 'true' ? (fields.unit === 'active' ? 'unit' : 'workload') : null,
      nixVersion: fields.nix || null,
      nixFreeBytes: fields.free && Number.isFinite(free) ? free : null,
      // Over SSH Oxygen sees its agent's unit; whether the node is Ready is the cluster's to say (status).
      k3s:
        fields.agent && fields.agent !== 'inactive'
          ? { role: 'agent', ready: fields.agent === 'active', labels: {}, taints: [] }
          : null,
      lastPushAgeSeconds:
        Number.isFinite(pushedAt) && Number.isFinite(now) ? Math.max(0, Math.round(now - pushedAt)) : null,
    };
  }

  async generation(target: OxygenTarget): Promise<string | null> {
    return (
      (
        await this.ssh(target, 'read the generation', `cat ${this.path(GENERATION_MARKER)} 2>/dev/null || true`)
      ).trim() || null
    );
  }

  async deploy(target: OxygenTarget, deployment: OxygenDeployment): Promise<void> {
    // Every file in one session: each travels as base64, so no content is ever read as shell.
    const copy = deployment.files.map(
      (file) =>
        `printf %s '${Buffer.from(file.content).toString('base64')}' | base64 -d | install -D -m ${file.mode.toString(8).padStart(4, '0')} /dev/stdin ${this.path(file.path)}`,
    );
    const nixosRebuild = this.options.nixosRebuild ?? 'nixos-rebuild';
    if (
      deployment.switch &&
      (await (await zx()).$({ nothrow: true, quiet: true })`sh -c ${`command -v ${nixosRebuild}`}`).exitCode
    )
      throw new OxygenStepError(
        'nixos-rebuild',
        'failed',
        `${target.name} runs NixOS (vars.OXYGEN.system_flake is set), and deploying to it needs nixos-rebuild here: run \`nix profile install nixpkgs#nixos-rebuild\`; nothing was changed.`,
      );
    await this.ssh(target, `copy ${deployment.files.length} file(s)`, ['set -e', ...copy].join('\n'));
    for (const command of deployment.commands) await this.ssh(target, command, command);
    if (deployment.switch) {
      await this.nixosRebuild(target, nixosRebuild, deployment.switch.args);
      for (const command of deployment.switch.afterwards) await this.ssh(target, command, command);
    }
    await this.ssh(
      target,
      'the generation marker',
      `install -D -m 0644 /dev/stdin ${this.path(GENERATION_MARKER)}`,
      `${deployment.generation}\n`,
    );
  }

  async checkCache(target: OxygenTarget, cache: OxygenCacheCheck): Promise<CacheLine[]> {
    // A file of the generation's text, added to the container's store: watch-store sees a new path.
    const add = `printf "%s\\n" "personal-cloud cache probe ${cache.generation}" > /tmp/${CACHE_PROBE} && nix-store --add /tmp/${CACHE_PROBE}`;
    const script = `podman exec ${BUILDER.container} sh -c '${add}'`;
    let storePath: string;
    try {
      storePath = (await this.ssh(target, 'add the cache probe', script)).trim().split('\n').at(-1) ?? '';
    } catch (error) {
      if (!(error instanceof OxygenStepError)) throw error;
      return [{ ok: false, text: `push: ${error.message.replace(/\.$/, '')}, so the cache was not checked` }];
    }
    if (!/^\/nix\/store\/[0-9a-z]{32}-/.test(storePath))
      return [
        {
          ok: false,
          text: `push: the builder added no store path (it said "${storePath}"), so the cache was not checked`,
        },
      ];
    return checkCache(this.options.nix ?? localNix, { ...cache, storePath }, this.options.cachePacing ?? SIX_ASKS);
  }

  /** One session: every step tolerates what is gone already, so the first that fails stops it (set -e) and a rerun resumes. */
  async teardown(target: OxygenTarget, teardown: OxygenTeardown): Promise<void> {
    const script = [
      'set -e',
      ...teardown.commands,
      `rm -rf ${teardown.paths.map((p) => this.path(p)).join(' ')}`,
      ...teardown.after,
      `rm -f ${this.path(GENERATION_MARKER)}`,
    ];
    await this.ssh(target, 'the teardown', script.join('\n'));
  }

  async handover(target: OxygenTarget, handover: OxygenHandover): Promise<void> {
    const kubectl = this.options.kubectl;
    if (!kubectl)
      throw new OxygenStepError(
        'handover',
        'failed',
        `the handover of ${target.name}'s builder needs the cluster's kubeconfig, which the vault's tokens lack: run \`npx nx run hosts:provision\`; nothing was changed.`,
      );
    const cluster = async (args: string[], input?: string) => {
      const result = await kubectl(args, input);
      if (!result.ok)
        throw new OxygenStepError(
          'kubectl',
          'failed',
          `\`kubectl ${args.join(' ')}\` failed: ${result.lastLine || 'no message'}.`,
        );
    };
    if (handover.to === 'kubernetes') {
      for (const command of handover.onOxygen) await this.ssh(target, command, command);
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: handover.secret,
        data: handover.secret.data,
      };
      await cluster(
        ['apply', '-f', '-'],
        `${handover.workload}---\n${JSON.stringify({ ...secret, metadata: { namespace: handover.secret.namespace, name: handover.secret.name } })}\n`,
      );
    } else {
      const { namespace, name } = handover.secret;
      await cluster([
        'delete',
        '--ignore-not-found',
        '--wait=true',
        '-n',
        namespace,
        `deployment/${BUILDER_WORKLOAD.name}`,
        `secret/${name}`,
      ]);
      for (const command of handover.onOxygen) await this.ssh(target, command, command);
    }
  }

  /** `nixos-rebuild <args> --target-host root@<host>` from here, over this executor's SSH settings and connection. */
  private async nixosRebuild(target: OxygenTarget, command: string, args: string[]): Promise<void> {
    const sshOptions = (await this.connectionArgs(target.sshAddress)).join(' ');
    const [destination] = this.destination(target.sshAddress);
    const argv = [...args, '--target-host', destination!];
    const output = await (await zx()).$({
      nothrow: true,
      quiet: true,
      env: { ...process.env, NIX_SSHOPTS: sshOptions },
    })`${command} ${argv}`;
    if (output.exitCode !== 0) throw sshFailure(target, `nixos-rebuild ${args[0]}`, output);
  }

  private path(path: string): string {
    return `${this.options.root ?? ''}${path}`;
  }

  /** The secure folder, with the operator's key in it when the vault has one. */
  private sshFiles(): Promise<{ dir: SecureTempDir; identity: string | null }> {
    this.files ??= (async () => {
      const dir = await createSecureTempDir();
      const key = this.options.operatorPrivateKey;
      return { dir, identity: key ? await dir.writeFile('operator-key', toOpenSshPrivateKey(key)) : null };
    })();
    return this.files;
  }

  /** A known_hosts file holding only Oxygen's key for `host` and `port`, written once per address. */
  private knownHostsFor(host: string, port: string): Promise<string> {
    const line = knownHostsLine(host, port, this.options.hostPublicKey!);
    let file = this.knownHosts.get(line);
    if (!file) {
      file = (async () => (await this.sshFiles()).dir.writeFile(`oxygen-known-hosts-${this.knownHosts.size}`, line))();
      this.knownHosts.set(line, file);
    }
    return file;
  }

  private async ssh(target: OxygenTarget, step: string, script: string, input?: string): Promise<string> {
    const base = await this.connectionArgs(target.sshAddress);
    // The master is a speed-up only: when it cannot start, the session below connects by itself
    // and says why it could not.
    let master = this.masters.get(target.sshAddress);
    if (!master) {
      master = runSsh([...base, '-M', '-N', '-f', '-o', 'ControlPersist=60', ...this.destination(target.sshAddress)]);
      this.masters.set(target.sshAddress, master);
    }
    await master;
    const args = [...base, '-o', 'ControlMaster=no', ...this.destination(target.sshAddress), '--', script];
    const output = await (await zx()).$({ nothrow: true, quiet: true, input: input ?? '' })`ssh ${args}`;
    if (output.exitCode === 0) return output.stdout;
    throw sshFailure(target, step, output);
  }

  /** Identity, pinned host key, control socket and timeouts for `address`. */
  private async connectionArgs(address: string): Promise<string[]> {
    const [host, port] = splitSshAddress(address);
    const { dir, identity } = await this.sshFiles();
    return sshOptions({
      identityFile: identity,
      knownHostsFile: this.options.hostPublicKey ? await this.knownHostsFor(host, port) : null,
      controlPath: `${dir.path}/cm-%C`,
      connectTimeoutSeconds: this.options.connectTimeoutSeconds ?? 10,
      port,
    });
  }

  private destination(address: string): string[] {
    return [`${this.options.user ?? 'root'}@${splitSshAddress(address)[0]}`];
  }
}

const SIX_ASKS: CacheCheckPacing = { attempts: 6, pause: () => new Promise((done) => setTimeout(done, 5_000)) };

/** This machine's nix, with nix-command, as the hosts would ask the cache. */
const localNix: NixRunner = async (args) => {
  const output = await (await zx()).$({
    nothrow: true,
    quiet: true,
  })`nix --extra-experimental-features nix-command ${args}`;
  return { status: output.exitCode ?? 1, stdout: output.stdout, stderr: output.stderr };
};

/** Runs ssh with no output kept (a control master or its exit); whether it succeeded. */
function runSsh(args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

/** One sentence for a failed ssh (exit 255: the connection) or a failed command on Oxygen. */
function sshFailure(target: OxygenTarget, step: string, output: ProcessOutput): OxygenStepError {
  const lastLine = lastStderrLine(output.stderr);
  const kind = sshFailureKind(output.exitCode, output.stderr);
  if (kind === 'host-key')
    return new OxygenStepError(
      step,
      'host-key',
      `${target.name}: ${target.sshAddress} presented a host key other than the one trusted for it, so nothing was sent.`,
    );
  if (kind === 'unreachable')
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
