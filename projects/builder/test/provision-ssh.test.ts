// builder:provision over SSH against a loopback sshd standing in for Oxygen, with stand-in podman
// and systemctl that log their arguments: the files are copied with their modes, the commands run
// in order, the generation marker comes last; a failing command names itself and leaves the
// marker as it was; a closed port is a desktop that does not answer.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNeeding, onPath } from '../../../tools/test-support/external-tools';
import { GENERATION_MARKER, type OxygenDeployment } from '../src/provision/oxygen-deployment';
import { OxygenStepError, type OxygenTarget } from '../src/provision/oxygen-executor';
import { provisionOxygen } from '../src/provision/provision-oxygen';
import { SshOxygenExecutor } from '../src/provision/ssh-oxygen-executor';
import { SSHD, startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';

const available = existsSync(SSHD) && onPath('unshare') && process.getuid?.() === 0;

/** Logs `<name> <args>`; fails with a message when its arguments match the pattern in $FAIL_ON's file. */
const standIn = (name: string) => `#!/bin/sh
echo "${name} $*" >> "$CALL_LOG"
if [ -s "$FAIL_ON" ] && echo "${name} $*" | grep -q -f "$FAIL_ON"; then
  echo "Job for $2 failed because the control process exited with error code." >&2
  exit 1
fi
`;

function deployment(generation: string): OxygenDeployment {
  return {
    generation,
    files: [
      { path: '/var/lib/personal-cloud/builder/keys/ssh_host_ed25519_key', content: 'the host key\n', mode: 0o600 },
      { path: '/etc/personal-cloud/builder/nix.conf', content: `sandbox = true # ${generation}\n`, mode: 0o644 },
      { path: '/etc/personal-cloud/builder/image/entrypoint.sh', content: '#!/bin/sh\n', mode: 0o755 },
    ],
    commands: [
      'podman build --tag localhost/personal-cloud-builder:1 /etc/personal-cloud/builder/image',
      'systemctl daemon-reload',
      'systemctl restart personal-cloud-builder.service',
      'systemctl restart personal-cloud-k3s-agent.service',
    ],
    summary: { container: null, agent: null },
  };
}

describeNeeding({ what: 'sshd, unshare and root', available }, 'builder:provision over SSH', () => {
  let dir: string;
  let sshd: LoopbackSshd;
  let executor: SshOxygenExecutor;
  let target: OxygenTarget;
  const oxygenRoot = () => join(dir, 'oxygen');
  const calls = async () => (await readFile(join(dir, 'calls.log'), 'utf8')).split('\n').filter(Boolean);
  const marker = () => readFile(join(oxygenRoot(), GENERATION_MARKER), 'utf8');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'builder-provision-ssh-'));
    await mkdir(join(dir, 'bin'));
    for (const name of ['podman', 'systemctl']) await writeFile(join(dir, 'bin', name), standIn(name), { mode: 0o755 });
    await writeFile(join(dir, 'calls.log'), '');
    await writeFile(join(dir, 'fail-on'), '');
    sshd = await startLoopbackSshd(dir, {
      PATH: `${join(dir, 'bin')}:/usr/bin:/bin`,
      CALL_LOG: join(dir, 'calls.log'),
      FAIL_ON: join(dir, 'fail-on'),
    });
    executor = new SshOxygenExecutor({
      operatorPrivateKey: await readFile(sshd.clientKeyFile, 'utf8'),
      hostPublicKey: sshd.hostPublicKey,
      root: oxygenRoot(),
      connectTimeoutSeconds: 5,
    });
    target = { name: 'oxygen', sshAddress: `127.0.0.1:${sshd.port}`, tailscaleIp: '100.64.0.7' };
  });
  afterAll(async () => {
    await executor?.close();
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('copies the files with their modes, runs the commands in order, writes the marker last; then changes nothing', async () => {
    const first = deployment('g1');
    const lines: string[] = [];
    expect(await provisionOxygen(executor, target, first, (l) => lines.push(l))).toBe('deployed');
    for (const file of first.files) {
      const path = join(oxygenRoot(), file.path);
      expect(await readFile(path, 'utf8')).toBe(file.content);
      expect((await stat(path)).mode & 0o777).toBe(file.mode);
    }
    expect(await calls()).toEqual(first.commands);
    expect(await marker()).toBe('g1\n');
    expect(lines).toEqual(['builder: oxygen now runs generation g1 (was none): 3 file(s), 4 command(s).']);

    expect(await provisionOxygen(executor, target, first, (l) => lines.push(l))).toBe('unchanged');
    expect(await calls()).toEqual(first.commands);
  });

  it('a failing command stops the deploy with its message, and the marker still names the old generation', async () => {
    await writeFile(join(dir, 'fail-on'), 'restart personal-cloud-builder.service\n');
    await writeFile(join(dir, 'calls.log'), '');
    const second = deployment('g2');
    const failure = provisionOxygen(executor, target, second, () => {});
    await expect(failure).rejects.toBeInstanceOf(OxygenStepError);
    await expect(failure).rejects.toThrow(
      'oxygen: `systemctl restart personal-cloud-builder.service` failed (exit 1): Job for personal-cloud-builder.service failed because the control process exited with error code..',
    );
    expect(await calls()).toEqual(second.commands.slice(0, 3));
    expect(await marker()).toBe('g1\n');

    await writeFile(join(dir, 'fail-on'), '');
    expect(await provisionOxygen(executor, target, second, () => {})).toBe('deployed');
    expect(await marker()).toBe('g2\n');
  });

  it('a desktop that does not answer is one line, and nothing is sent', async () => {
    const before = await calls();
    const lines: string[] = [];
    const closed = { ...target, sshAddress: '127.0.0.1:1' };
    expect(await provisionOxygen(executor, closed, deployment('g3'), (l) => lines.push(l))).toBe('unreachable');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^builder: oxygen does not answer at 127\.0\.0\.1:1 \(.*Connection refused\); nothing was changed, and the hosts build without it until it is back \(fallback = true\)\.$/,
    );
    expect(await calls()).toEqual(before);
    expect(await marker()).toBe('g2\n');
  });
});
