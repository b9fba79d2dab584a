// builder:render's files, with their exact command lines, and the config guards.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pinnedNixpkgs } from '../src/builder-inputs';
import { builderKeys } from '../src/keys/builder-keys';
import { writeRendered } from '../src/targets/render';
import {
  builderConfig,
  CACHE_PUBLIC_KEY,
  CLIENT_PUBLIC_KEY,
  HOST_PUBLIC_KEY,
  NIXPKGS,
  OXYGEN_IP,
  renderAt,
} from './fixtures';

const execLine = (unit: string, key = 'ExecStart') =>
  unit
    .split('\n')
    .find((l) => l.startsWith(`${key}=`))!
    .slice(key.length + 1);
const HOST_KEY_B64 = Buffer.from(HOST_PUBLIC_KEY.split(' ').slice(0, 2).join(' ')).toString('base64');

describe('the builder container', () => {
  it('runs under its unit with this exact podman command line', () => {
    const unit = renderAt().files['systemd/personal-cloud-builder.service']!;
    expect(execLine(unit)).toBe(
      [
        '/usr/bin/podman run --cidfile=%t/%n.ctr-id --cgroups=no-conmon --rm --sdnotify=conmon --replace --detach',
        '--name=personal-cloud-builder --privileged --network=host --cpus=6 --memory=16g',
        '--volume=personal-cloud-builder-nix:/nix',
        '--volume=/var/lib/personal-cloud/builder/keys:/run/builder-keys:ro',
        '--volume=/etc/personal-cloud/builder/sshd_config:/etc/ssh/sshd_config:ro',
        '--volume=/etc/personal-cloud/builder/nix.conf:/etc/nix/nix.conf:ro',
        '--volume=/etc/personal-cloud/builder/authorized_keys:/etc/ssh/authorized_keys/nix-builder:ro',
        '--health-cmd=/usr/local/bin/healthcheck.sh --health-interval=30s --health-retries=3 --health-start-period=60s --health-on-failure=kill',
        'localhost/personal-cloud-builder:1',
      ].join(' '),
    );
    expect(execLine(unit, 'ExecStop')).toBe('/usr/bin/podman stop --ignore --time=10 --cidfile=%t/%n.ctr-id');
    expect(unit).toContain('After=network-online.target tailscaled.service\nRequires=tailscaled.service\n');
  });

  it('pushes what it builds with attic watch-store, a sibling unit bound to the container, never a post-build-hook', () => {
    const { files } = renderAt();
    const unit = files['systemd/personal-cloud-builder-push.service']!;
    expect(execLine(unit)).toBe(
      '/usr/bin/podman exec --env=XDG_CONFIG_HOME=/run/builder-keys personal-cloud-builder /opt/attic/bin/attic watch-store pc:pc',
    );
    expect(unit).toContain('After=personal-cloud-builder.service\nBindsTo=personal-cloud-builder.service\n');
    expect(unit).toContain('Restart=always\nRestartSec=30s\n');
    expect(unit).toContain('[Install]\nWantedBy=personal-cloud-builder.service\n');
    expect(files['container/Containerfile']).toContain(`build --out-link /opt/attic '${NIXPKGS}#attic-client'`);
    expect(Object.values(files).join('\n')).not.toContain('post-build-hook');
    expect(files['commands.txt']).toContain(
      'systemctl enable --now personal-cloud-builder.service personal-cloud-builder-push.service',
    );
    // The agent reaches the nodes' private addresses through the servers' subnet route.
    expect(files['commands.txt']).toMatch(
      /tailscale set --accept-routes\n(.*\n)*systemctl enable --now personal-cloud-k3s-agent/,
    );
  });

  it('takes its limits from the config', () => {
    const unit = renderAt(4, (c) => Object.assign(c.oxygen.builder, { cpus: 2.5, memoryGb: 4 })).files[
      'systemd/personal-cloud-builder.service'
    ]!;
    expect(execLine(unit)).toContain(' --cpus=2.5 --memory=4g ');
  });

  it('listens on Oxygen’s Tailscale address only, for one user, by key only', () => {
    const { files } = renderAt();
    expect(files['container/sshd_config']).toContain(
      `Port 2222\nListenAddress ${OXYGEN_IP}\nHostKey /run/builder-keys/ssh_host_ed25519_key\n`,
    );
    expect(files['container/sshd_config']).toContain('AllowUsers nix-builder\nAuthenticationMethods publickey\n');
    expect(files['container/authorized_keys']).toBe(`restrict ${CLIENT_PUBLIC_KEY.split(' ').slice(0, 2).join(' ')}\n`);
    expect(files['container/nix.conf']).toContain(
      'trusted-users = root nix-builder\nsandbox = true\nmax-jobs = 8\ncores = 1\n',
    );
    expect(files['container/nix.conf']).toContain(
      `substituters = https://cache.example.org/pc https://cache.nixos.org\ntrusted-public-keys = ${CACHE_PUBLIC_KEY} cache.nixos.org-1:`,
    );
  });

  it('builds its image from the hosts’ pinned nixpkgs, with no key in it', () => {
    const { files } = renderAt();
    expect(files['container/Containerfile']).toContain(`build --out-link /opt/openssh '${NIXPKGS}#openssh'`);
    expect(files['container/entrypoint.sh']).toContain('/opt/openssh/bin/sshd -D -e -f /etc/ssh/sshd_config &');
    expect(
      pinnedNixpkgs(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../hosts/nix/flake.nix'), 'utf8')),
    ).toMatch(/^github:NixOS\/nixpkgs\/[0-9a-f]{40}$/);
    expect(() => pinnedNixpkgs('nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";')).toThrow(
      'has no nixpkgs.url pinned to a revision',
    );
  });
});

describe("the operator's machine", () => {
  it('builds on Oxygen through the alias that carries the port, with the host key pinned', () => {
    const { files } = renderAt();
    expect(files['operator/machines']!.split('\n')[1]).toBe(
      `ssh-ng://nix-builder@oxygen-builder x86_64-linux /etc/nix/personal-cloud-builder-key 8 4 big-parallel,kvm,nixos-test - ${HOST_KEY_B64}`,
    );
    expect(files['operator/ssh_config']).toContain(
      'Host oxygen-builder\n  HostName oxygen\n  Port 2222\n  User nix-builder\n  IdentityFile /etc/nix/personal-cloud-builder-key\n',
    );
    expect(files['operator/nix.conf']).toContain(
      `builders = @/etc/nix/personal-cloud-machines\nbuilders-use-substitutes = true\nextra-substituters = https://cache.example.org/pc\nextra-trusted-public-keys = ${CACHE_PUBLIC_KEY}\n`,
    );
  });

  it('lists the workers for light builds with clusterFallback: speed 1, one job, no big-parallel', () => {
    const rendered = renderAt(3, (c) => (c.oxygen.builder.clusterFallback = true));
    const lines = rendered.files['operator/machines']!.trim().split('\n').slice(1);
    expect(lines.slice(1)).toEqual(
      ['pc-worker-1', 'pc-worker-2', 'pc-worker-3'].map(
        (w) => `ssh-ng://nix-builder@${w} x86_64-linux /etc/nix/personal-cloud-builder-key 1 1 kvm,nixos-test - -`,
      ),
    );
    expect(rendered.buildMachines.map((m) => [m.hostName, m.maxJobs, m.speedFactor])).toEqual([
      ['oxygen-builder', 8, 4],
      ['pc-worker-1', 1, 1],
      ['pc-worker-2', 1, 1],
      ['pc-worker-3', 1, 1],
    ]);
  });
});

describe("Oxygen's k3s agent", () => {
  it('joins as an agent on its Tailscale address, with the config’s label and taint', () => {
    const { files } = renderAt(2);
    expect(JSON.parse(files['k3s/config.yaml']!)).toEqual({
      server: 'https://10.0.1.10:6443',
      'token-file': '/var/lib/personal-cloud/secrets/k3s-token',
      'node-name': 'oxygen',
      'node-ip': OXYGEN_IP,
      'flannel-iface': 'tailscale0',
      'node-label': ['personal-cloud/builder=true'],
      'node-taint': ['personal-cloud/builder=true:NoSchedule'],
    });
    const unit = files['systemd/personal-cloud-k3s-agent.service']!;
    expect(execLine(unit)).toBe('/usr/local/bin/k3s agent --config=/etc/rancher/k3s/config.yaml');
    expect(unit).toContain('Requires=tailscaled.service\nPartOf=tailscaled.service\n');
  });

  it('joins the one server of phase 1 (worker-1 runs everything)', () => {
    expect(JSON.parse(renderAt(1).files['k3s/config.yaml']!).server).toBe('https://10.0.1.20:6443');
  });

  it('renders only what the roles ask for', () => {
    expect(Object.keys(renderAt(4, (c) => (c.oxygen.roles = ['worker'])).files).sort()).toEqual([
      'commands.txt',
      'k3s/config.yaml',
      'nixos/oxygen.json',
      'systemd/personal-cloud-k3s-agent.service',
    ]);
    expect(Object.keys(renderAt(4, (c) => (c.oxygen.roles = ['builder'])).files)).not.toContain('k3s/config.yaml');
  });
});

describe('render as a whole', () => {
  it('is deterministic, and replaces an earlier render’s files', async () => {
    expect(renderAt()).toEqual(renderAt());
    const parent = mkdtempSync(join(tmpdir(), 'pc-builder-render-'));
    const dir = join(parent, 'render');
    await writeRendered(dir, renderAt());
    writeFileSync(join(dir, 'stale.txt'), 'from an older config');
    await writeRendered(
      dir,
      renderAt(4, (c) => (c.oxygen.roles = ['worker'])),
    );
    expect(readdirSync(dir).sort()).toEqual(['builder.json', 'commands.txt', 'k3s', 'nixos', 'systemd']);
    await writeRendered(dir, renderAt());
    expect(statSync(join(dir, 'container/entrypoint.sh')).mode & 0o777).toBe(0o755);
    rmSync(parent, { recursive: true, force: true });
  });

  it('writes nothing for Oxygen while a var it needs is missing, and names every one', () => {
    const rendered = renderAt(4, undefined, {});
    expect(rendered.files).toEqual({});
    expect(rendered.missingVars).toEqual([
      'vars.BUILDER.ssh_host_public_key',
      'vars.BUILDER.client_public_key',
      'vars.CACHE.public_key',
      'vars.OXYGEN.tailscale_ip',
    ]);
  });

  it('renders nothing when Oxygen is off', () => {
    expect(renderAt(4, (c) => (c.oxygen.enabled = false))).toMatchObject({
      files: {},
      summary: 'oxygen is not enabled in the config: nothing to render.',
    });
  });

  it('names the keys the key step makes, each once, with the vars render reads', () => {
    const keys = Object.values(builderKeys('pc'));
    expect(keys.map((k) => [k.kind, k.token, k.publicVar, k.name])).toEqual([
      ['ssh-ed25519', 'BUILDER_SSH_HOST_KEY', 'BUILDER.ssh_host_public_key', 'pc-builder'],
      ['ssh-ed25519', 'BUILDER_CLIENT_KEY', 'BUILDER.client_public_key', 'pc-builder-client'],
      ['nix-signing-key', 'ATTIC_SIGNING_KEY', 'CACHE.public_key', 'pc-cache-1'],
    ]);
  });
});

describe('config guards', () => {
  it('refuses Oxygen as a k3s server, with the reason', () => {
    expect(() => builderConfig(4, (c) => (c.oxygen.roles = ['builder', 'control-plane']))).toThrow(
      'oxygen.roles[1]: "control-plane" would make Oxygen a k3s server and an embedded etcd member, but etcd members must be co-located',
    );
    expect(() => builderConfig(4, (c) => (c.oxygen.roles = ['etcd']))).toThrow(
      'so Oxygen is only ever a k3s agent; allowed: builder, worker',
    );
  });

  it('refuses a builder run by Kubernetes on an Oxygen that is not a node', () => {
    expect(() =>
      builderConfig(4, (c) =>
        Object.assign(c.oxygen, { roles: ['builder'], builder: { ...c.oxygen.builder, managedBy: 'kubernetes' } }),
      ),
    ).toThrow(
      'oxygen.builder.managedBy: is "kubernetes", but Kubernetes can run the builder only on a node and oxygen.roles lacks worker',
    );
  });

  it('refuses limits outside what a desktop has', () => {
    expect(() => builderConfig(4, (c) => (c.oxygen.builder.cpus = 0.1))).toThrow(
      'oxygen.builder.cpus: must be at least 0.5',
    );
    expect(() => builderConfig(4, (c) => (c.oxygen.builder.memoryGb = 1.5))).toThrow('oxygen.builder.memoryGb');
  });

  it('refuses a builder with no binary cache to push to', () => {
    expect(() => renderAt(4, (c) => (c.apps = c.apps.filter((a: { name: string }) => a.name !== 'nix-cache')))).toThrow(
      'apps has no "nix-cache" app with a host',
    );
  });
});
