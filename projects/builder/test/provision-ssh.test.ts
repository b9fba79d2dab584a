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
import { generateOpenSshKeyPair } from '@personal-cloud/vault';
import { GENERATION_MARKER, oxygenDeployment, type OxygenDeployment } from '../src/provision/oxygen-deployment';
import { OxygenStepError, type OxygenTarget } from '../src/provision/oxygen-executor';
import { provisionOxygen } from '../src/provision/provision-oxygen';
import { SshOxygenExecutor } from '../src/provision/ssh-oxygen-executor';
import { oxygenTeardown } from '../src/provision/oxygen-teardown';
import { oxygenHandover } from '../src/provision/oxygen-handover';
import { kubectlWith } from '../src/provision/kubectl';
import { kubectlNodeRemover } from '../src/destroy/destroy-oxygen';
import { renderAt } from './fixtures';
import { SSHD, startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';

const available = existsSync(SSHD) && onPath('unshare') && process.getuid?.() === 0;

/** What the stand-in podman's `exec` prints: the path `nix-store --add` would. */
const PROBE_PATH = `/nix/store/${'a'.repeat(32)}-personal-cloud-cache-probe`;

/** Logs `<name> <args>` (podman's exec prints the probe path); fails with a message when its arguments match the pattern in $FAIL_ON's file. */
const standIn = (name: string) => `#!/bin/sh
printf '%s\\n' "${name} $*" >> "$CALL_LOG"
[ "$1" = exec ] && echo "${PROBE_PATH}"
if [ -s "$FAIL_ON" ] && echo "${name} $*" | grep -q -f "$FAIL_ON"; then
  echo "Job for $2 failed because the control process exited with error code." >&2
  exit 1
fi
`;

/**
 * nixos-rebuild as it runs here, on the operator's machine: it logs its arguments, then reaches
 * the target host with NIX_SSHOPTS as the real one does (so the executor's SSH settings are
 * proved), and fails like a failed build when $FAIL_ON's file names nixos-rebuild.
 */
const nixosRebuildStandIn = (dir: string) => `#!/bin/sh
echo "nixos-rebuild $*" >> "${dir}/calls.log"
for last; do :; done
ssh $NIX_SSHOPTS "$last" -- true || exit 255
if grep -q nixos-rebuild "${dir}/fail-on"; then
  echo "error: builder for '/nix/store/abc-nixos-system-oxygen.drv' failed with exit code 1" >&2
  exit 1
fi
`;

const NIXOS_TOKENS = {
  BUILDER_SSH_HOST_KEY: generateOpenSshKeyPair('pc-builder').privateKey,
  K3S_TOKEN: 'a-k3s-token',
  ATTIC_TOKEN_HS256_SECRET: 'b'.repeat(128),
};

/** Oxygen on NixOS: the real deployment of the rendered files, with the system flake named. */
function nixosDeployment(flakeSource: string): OxygenDeployment {
  return oxygenDeployment({
    cluster: 'pc',
    rendered: renderAt().files,
    tokens: NIXOS_TOKENS,
    builder: { cpus: 6, memoryGb: 16 },
    k3sTokenName: 'K3S_TOKEN',
    cacheUrl: 'https://cache.example.org/pc',
    hostname: 'oxygen',
    nixos: {
      systemFlake: 'github:me/system',
      flakeDir: '/repo/projects/builder/nix',
      renderDir: '/repo/dist/builder/render',
      sources: { 'flake.nix': flakeSource },
    },
  });
}

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
    switch: null,
    summary: { container: null, agent: null },
  };
}

describeNeeding({ what: 'sshd, unshare and root', available }, 'builder:provision over SSH', () => {
  let dir: string;
  let sshd: LoopbackSshd;
  let executor: SshOxygenExecutor;
  let target: OxygenTarget;
  const nixCalls: string[][] = [];
  const oxygenRoot = () => join(dir, 'oxygen');
  const calls = async () => (await readFile(join(dir, 'calls.log'), 'utf8')).split('\n').filter(Boolean);
  const marker = () => readFile(join(oxygenRoot(), GENERATION_MARKER), 'utf8');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'builder-provision-ssh-'));
    await mkdir(join(dir, 'bin'));
    for (const name of ['podman', 'systemctl', 'k3s'])
      await writeFile(join(dir, 'bin', name), standIn(name), { mode: 0o755 });
    await writeFile(join(dir, 'bin', 'nixos-rebuild'), nixosRebuildStandIn(dir), { mode: 0o755 });
    // Oxygen's clock and its push loop's journal: the last upload 119.5 s before "now".
    await writeFile(join(dir, 'bin', 'date'), '#!/bin/sh\necho 1764662520\n', { mode: 0o755 });
    await writeFile(
      join(dir, 'bin', 'journalctl'),
      `#!/bin/sh\n[ "$2" = personal-cloud-builder-push.service ] && echo '1764662400.500000 oxygen podman[7]: ✅ ${PROBE_PATH}'\n`,
      { mode: 0o755 },
    );
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
      nixosRebuild: join(dir, 'bin', 'nixos-rebuild'),
      nix: async (args) => {
        nixCalls.push(args);
        const info = { path: args[4], valid: true, signatures: ['pc-cache-1:c2ln'] };
        return { status: 0, stdout: JSON.stringify([info]), stderr: '' };
      },
      cachePacing: { attempts: 1, pause: async () => {} },
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

  it('on NixOS: the files, the image, then nixos-rebuild switch of the extended system flake to Oxygen; then nothing', async () => {
    await writeFile(join(dir, 'calls.log'), '');
    const first = nixosDeployment('{ v1 }');
    expect(
      first.files.map((f) => f.path).filter((p) => p.startsWith('/etc/systemd') || p.startsWith('/etc/rancher')),
    ).toEqual([]);
    expect(await provisionOxygen(executor, target, first, () => {})).toBe('deployed');
    expect(await calls()).toEqual([
      'podman build --tag localhost/personal-cloud-builder:1 /etc/personal-cloud/builder/image',
      [
        'nixos-rebuild switch --flake path:/repo/projects/builder/nix#oxygen --no-write-lock-file',
        '--override-input system github:me/system --override-input render path:/repo/dist/builder/render',
        '--target-host root@127.0.0.1',
      ].join(' '),
      'systemctl restart podman-personal-cloud-builder.service',
    ]);
    expect(await marker()).toBe(`${first.generation}\n`);
    const attic = join(oxygenRoot(), '/var/lib/personal-cloud/builder/keys/attic/config.toml');
    expect((await stat(attic)).mode & 0o777).toBe(0o600);

    expect(await provisionOxygen(executor, target, nixosDeployment('{ v1 }'), () => {})).toBe('unchanged');
    expect(await calls()).toHaveLength(3);
  });

  it('on NixOS: a failing switch is one sentence, and Oxygen keeps its generation', async () => {
    const before = await marker();
    await writeFile(join(dir, 'fail-on'), 'nixos-rebuild\n');
    await writeFile(join(dir, 'calls.log'), '');
    const changed = nixosDeployment('{ v2 }');
    await expect(provisionOxygen(executor, target, changed, () => {})).rejects.toThrow(
      "oxygen: `nixos-rebuild switch` failed (exit 1): error: builder for '/nix/store/abc-nixos-system-oxygen.drv' failed with exit code 1.",
    );
    expect((await calls()).map((c) => c.split(' ')[0])).toEqual(['podman', 'nixos-rebuild']);
    expect(await marker()).toBe(before);
    await writeFile(join(dir, 'fail-on'), '');
  });

  it('on NixOS without nixos-rebuild here: one sentence before anything is sent', async () => {
    await writeFile(join(dir, 'calls.log'), '');
    const without = new SshOxygenExecutor({
      operatorPrivateKey: await readFile(sshd.clientKeyFile, 'utf8'),
      hostPublicKey: sshd.hostPublicKey,
      root: join(dir, 'untouched'),
      nixosRebuild: join(dir, 'bin', 'no-such-nixos-rebuild'),
    });
    try {
      await expect(provisionOxygen(without, target, nixosDeployment('{ v3 }'), () => {})).rejects.toThrow(
        'oxygen runs NixOS (vars.OXYGEN.system_flake is set), and deploying to it needs nixos-rebuild here: run `nix profile install nixpkgs#nixos-rebuild`; nothing was changed.',
      );
    } finally {
      await without.close();
    }
    expect(await calls()).toEqual([]);
    expect(existsSync(join(dir, 'untouched', '/var/lib'))).toBe(false);
  });

  it("checks the cache: the builder adds the probe path, and this machine's nix asks the cache for it", async () => {
    await writeFile(join(dir, 'calls.log'), '');
    const cache = { cacheUrl: 'https://cache.example.org/pc', keyName: 'pc-cache-1', generation: 'g9' };
    expect(await executor.checkCache(target, cache)).toEqual([
      { ok: true, text: `push: the cache at https://cache.example.org/pc has ${PROBE_PATH}, which Oxygen added` },
      { ok: true, text: 'substitution: the cache serves it signed by pc-cache-1, which every host trusts' },
    ]);
    expect(await calls()).toEqual([
      'podman exec personal-cloud-builder sh -c printf "%s\\n" "personal-cloud cache probe g9" > /tmp/personal-cloud-cache-probe && nix-store --add /tmp/personal-cloud-cache-probe',
    ]);
    expect(nixCalls).toEqual([
      [
        ...['path-info', '--json', '--store', 'https://cache.example.org/pc', PROBE_PATH],
        ...['--option', 'download-attempts', '2', '--option', 'connect-timeout', '5'],
      ],
    ]);
  });

  it("reads the last push's age from the push loop's journal on Oxygen", async () => {
    expect((await executor.probe(target)).lastPushAgeSeconds).toBe(120);
  });

  it('destroy: stops the units, removes the container, image, files and marker, and keeps the store', async () => {
    for (const file of [
      GENERATION_MARKER,
      '/var/lib/personal-cloud/builder/keys/ssh_host_ed25519_key',
      '/etc/personal-cloud/builder/nix.conf',
    ]) {
      await mkdir(join(oxygenRoot(), file, '..'), { recursive: true });
      await writeFile(join(oxygenRoot(), file), 'x\n');
    }
    await writeFile(join(dir, 'calls.log'), '');
    await executor.teardown(target, oxygenTeardown(false));
    expect(await calls()).toEqual([
      'systemctl disable --now personal-cloud-builder-push.service',
      'systemctl disable --now personal-cloud-builder.service',
      'systemctl disable --now personal-cloud-k3s-agent.service',
      'podman rm --force --ignore personal-cloud-builder',
      'podman rmi --force --ignore localhost/personal-cloud-builder:1',
      'systemctl daemon-reload',
    ]);
    expect(existsSync(join(oxygenRoot(), '/var/lib/personal-cloud/builder/keys'))).toBe(false);
    expect(existsSync(join(oxygenRoot(), '/etc/personal-cloud/builder'))).toBe(false);
    expect(existsSync(join(oxygenRoot(), GENERATION_MARKER))).toBe(false);
    expect(await executor.generation(target)).toBeNull();
  });

  it('the handover: the image into containerd and the units stopped on Oxygen, then kubectl applies the Secret and the workload', async () => {
    // kubectl as it runs here: logs its arguments and what it read, fails on a "down" kubeconfig.
    const kubectl = join(dir, 'bin', 'kubectl');
    await writeFile(
      kubectl,
      `#!/bin/sh\nprintf '%s\\n' "kubectl $*" >> "${dir}/kubectl.log"\ncat >> "${dir}/kubectl.log"\ngrep -q down "$2" && { echo 'The connection to the server was refused' >&2; exit 1; }\n[ "$4" = delete ] && [ "$5" = node ] && echo node/oxygen\nexit 0\n`,
      { mode: 0o755 },
    );
    const files = [
      { path: '/var/lib/personal-cloud/builder/keys/ssh_host_ed25519_key', content: 'HOSTKEY\n', mode: 0o600 },
    ];
    const withKubectl = new SshOxygenExecutor({
      operatorPrivateKey: await readFile(sshd.clientKeyFile, 'utf8'),
      hostPublicKey: sshd.hostPublicKey,
      root: oxygenRoot(),
      kubectl: kubectlWith('apiVersion: v1\nkind: Config\n', kubectl),
    });
    try {
      await writeFile(join(dir, 'calls.log'), '');
      await withKubectl.handover(target, oxygenHandover('kubernetes', 'kind: Deployment\n', files));
      // The two ends of one pipe log in either order; the units stop after the image is in containerd.
      const log = await calls();
      expect(log.slice(0, 2).sort()).toEqual([
        'k3s ctr images import -',
        'podman save localhost/personal-cloud-builder:1',
      ]);
      expect(log.slice(2)).toEqual([
        'systemctl disable --now personal-cloud-builder-push.service personal-cloud-builder.service',
      ]);
      const applied = await readFile(join(dir, 'kubectl.log'), 'utf8');
      expect(applied).toMatch(/^kubectl --kubeconfig \S+ --request-timeout=10s apply -f -\nkind: Deployment\n---\n/);
      const secret = JSON.parse(applied.split('---\n')[1]!);
      expect(secret).toEqual({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { namespace: 'personal-cloud-builder', name: 'nix-builder-keys' },
        data: { ssh_host_ed25519_key: Buffer.from('HOSTKEY\n').toString('base64') },
      });
      // destroy's node deletion with the same kubectl: deleted, then a cluster that does not answer.
      expect(await kubectlNodeRemover(kubectlWith('cluster: up\n', kubectl)).deleteNode('oxygen', [])).toBe(true);
      await expect(
        kubectlNodeRemover(kubectlWith('cluster: down\n', kubectl)).deleteNode('oxygen', []),
      ).rejects.toThrow('kubectl said: The connection to the server was refused.');
    } finally {
      await withKubectl.close();
    }
  });
});
