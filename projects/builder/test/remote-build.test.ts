// A real remote build over ssh-ng, the way hosts and the operator use Oxygen: through the ssh
// alias render writes (it carries the port), with the builder's host key pinned in the machines
// line, against a loopback sshd standing in for the builder container. The builder's store and
// the host's are separate chroot stores, so the output really travels back.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNeeding, onPath } from '../../../tools/test-support/external-tools';
import { machinesLine, type BuildMachine } from '../src/render/build-machines';
import { builderSshConfig } from '../src/render/operator-files';
import { SSHD, startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';
import { privateNix, type PrivateNix } from './private-nix';

const SYSTEM = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux`;
const available = onPath('nix') && existsSync(SSHD) && onPath('unshare') && process.getuid?.() === 0;

describeNeeding({ what: 'nix, sshd, unshare and root', available }, 'a remote build over ssh-ng', () => {
  let root: string;
  let nix: PrivateNix;
  let sshd: LoopbackSshd;
  let derivation: string;

  /** The machines line for the builder, pinned to `hostKey`; the builder's store is a folder of its own. */
  const builderLine = (hostKey: string) => {
    const machine: BuildMachine = {
      // Store settings ride on the URI: the remote nix-daemon uses its own chroot store.
      hostName: `oxygen-builder?remote-store=${nix.store('builder')}`,
      protocol: 'ssh-ng',
      systems: [SYSTEM],
      sshUser: 'root',
      sshKey: sshd.clientKeyFile,
      maxJobs: 1,
      speedFactor: 1,
      supportedFeatures: [],
      mandatoryFeatures: [],
      publicHostKey: Buffer.from(hostKey).toString('base64'),
    };
    return machinesLine(machine);
  };
  const buildOnHost = (store: string, hostKey: string) =>
    nix.run([
      'build',
      '--store',
      nix.store(store),
      '-f',
      derivation,
      '--no-link',
      '--json',
      '--max-jobs',
      '0',
      '--builders',
      builderLine(hostKey),
    ]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'pc-remote-build-'));
    const sshConfig = join(root, 'ssh_config');
    nix = privateNix(root, { NIX_SSHOPTS: `-F ${sshConfig} -o BatchMode=yes` });
    sshd = await startLoopbackSshd(root, nix.confEnv);
    writeFileSync(
      sshConfig,
      builderSshConfig({
        alias: 'oxygen-builder',
        hostName: '127.0.0.1',
        port: sshd.port,
        user: 'root',
        identityFile: sshd.clientKeyFile,
      }),
    );
    derivation = join(root, 'built-remotely.nix');
    writeFileSync(
      derivation,
      'builtins.derivation { name = "built-remotely"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo built remotely > $out" ]; }\n',
    );
  });

  afterAll(async () => {
    await sshd?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('builds on the builder through the alias, with its host key pinned, and brings the output back', async () => {
    const result = await buildOnHost('host', sshd.hostPublicKey);
    expect(result.stderr).toContain("on 'ssh-ng://root@oxygen-builder");
    expect(result.status).toBe(0);
    const { outputs } = (JSON.parse(result.stdout) as { outputs: { out: string } }[])[0]!;
    expect(readFileSync(join(nix.store('builder'), outputs.out), 'utf8')).toBe('built remotely\n');
    expect(readFileSync(join(nix.store('host'), outputs.out), 'utf8')).toBe('built remotely\n');
  });

  it('refuses a builder whose host key is not the pinned one', async () => {
    const otherKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZj3QNycjVxQy9ypAZwVOL6KEhdoTk+KpsWGrUObCsn';
    const result = await buildOnHost('host-2', otherKey);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('Host key verification failed');
  });
});
