// The real NixOS modules, evaluated with nixpkgs' own lib.evalModules and disko's own types:
// what a node gets, and the wrong layouts and values that must fail, naming the node.
import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeNeeding } from '../../../tools/test-support/external-tools';
import { evaluateNode, nixFiles, parseProblems } from '../src/check/nix-evaluation';
import type { HostsDocument } from '../src/render/hosts-document';
import { renderAt, writeHostsJson } from './fixtures';
import { NIX_DIR, NIX_NEEDS, SHARED } from './support';

const evaluate = (document: unknown, node: string) => evaluateNode(NIX_DIR, SHARED!, writeHostsJson(document), node);

/** The phase-4 document with one change to one node's entry. */
function broken(node: string, change: (entry: Record<string, any>) => void): HostsDocument {
  const document = renderAt(4);
  change(document.nodes[node] as unknown as Record<string, any>);
  return document;
}

describeNeeding(NIX_NEEDS, 'the hosts NixOS modules', () => {
  it('parses every .nix file', async () => {
    const files = nixFiles(NIX_DIR);
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(await parseProblems(files)).toEqual([]);
  });

  it('names the file that does not parse, and where', async () => {
    const bad = writeHostsJson({}).replace(/hosts\.json$/, 'broken.nix');
    writeFileSync(bad, '{ a = ; }\n');
    expect(await parseProblems([...nixFiles(NIX_DIR), bad])).toEqual([
      `a .nix file does not parse: syntax error, unexpected ';' at ${bad}:1:7:`,
    ]);
  });

  it('evaluates every node of phase 4', async () => {
    const document = renderAt(4);
    const file = writeHostsJson(document);
    for (const node of Object.keys(document.nodes))
      await expect(evaluateNode(NIX_DIR, SHARED!, file, node)).resolves.toBeDefined();
  });

  it('makes the bootstrapping server start the cluster, with k3s’s flags from one place', async () => {
    const result = await evaluate(renderAt(4), 'master-1');
    expect(result.k3s).toMatchObject({
      role: 'server',
      clusterInit: true,
      serverAddr: '',
      nodeName: 'master-1',
      nodeIP: '10.0.1.10',
      tokenFile: '/var/lib/personal-cloud/secrets/k3s-token',
      package: 'k3s-1.34',
      nodeLabel: ['personal-cloud/pool=master'],
    });
    expect(result.k3s.extraFlags).toEqual(
      expect.arrayContaining([
        '--flannel-iface=private0',
        '--tls-san=10.0.1.10',
        '--tls-san=pc-master-1',
        '--cluster-cidr=10.42.0.0/16',
        '--etcd-s3',
        '--etcd-s3-bucket=pc-backups',
      ]),
    );
    // A server routes the private network for the tailnet (Oxygen's path to the nodes), with forwarding on.
    expect(result.tailscale).toMatchObject({
      useRoutingFeatures: 'server',
      extraUpFlags: expect.arrayContaining(['--advertise-routes=10.0.0.0/16']),
    });
  });

  it('joins an agent through serverAddr and mounts its volume by Hetzner id', async () => {
    const result = await evaluate(renderAt(4), 'worker-2');
    expect(result.k3s).toMatchObject({
      role: 'agent',
      clusterInit: false,
      serverAddr: 'https://10.0.1.10:6443',
      environmentFile: null,
    });
    expect(result.k3s.extraFlags).toEqual(['--flannel-iface=private0']);
    const tailscale = result.tailscale as { useRoutingFeatures: string; extraUpFlags: string[] };
    expect(tailscale.useRoutingFeatures).toBe('none');
    expect(tailscale.extraUpFlags.join(' ')).not.toContain('--advertise-routes');
    expect(result.disko.fileSystems['/mnt/data']).toEqual({
      device: '/dev/disk/by-id/scsi-0HC_Volume_505',
      fsType: 'ext4',
      options: ['defaults', 'nofail'],
    });
    expect(result.disko.fileSystems['/']).toMatchObject({ fsType: 'ext4' });
    expect(result.disko.grubDevices).toEqual(['/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi0-0-0-0']);
  });

  it('matches the private interface by MAC and keeps SSH off the public side', async () => {
    const result = await evaluate(renderAt(4), 'worker-1');
    const network = result.network as { links: Record<string, any>; networks: Record<string, any> };
    expect(network.links['10-private']).toEqual({
      matchConfig: { PermanentMACAddress: '86:00:00:01:00:04' },
      linkConfig: { Name: 'private0' },
    });
    expect(network.networks['20-public']).toMatchObject({
      DHCP: 'ipv4',
      address: ['2001:db8:4::1/64'],
      routes: [{ Gateway: 'fe80::1' }],
    });
    const firewall = result.firewall as {
      allowedTCPPorts: number[];
      interfaces: Record<string, { allowedTCPPorts: number[] }>;
    };
    expect(firewall.allowedTCPPorts).toEqual([443]);
    expect(firewall.interfaces.private0!.allowedTCPPorts).toEqual([22, 10250]);
    expect(result.openssh).toMatchObject({
      openFirewall: false,
      settings: { PermitRootLogin: 'prohibit-password', PasswordAuthentication: false },
    });
  });

  it('hands remote builders to NixOS as build machines, with their key as a file', async () => {
    const document = broken('worker-1', (n) => {
      n.nix.distributedBuilds = true;
      n.nix.builders.push({
        hostName: 'oxygen',
        protocol: 'ssh-ng',
        systems: ['x86_64-linux'],
        sshUser: 'builder',
        sshKey: '/var/lib/personal-cloud/secrets/builder-key',
        maxJobs: 8,
        speedFactor: 4,
        supportedFeatures: ['kvm'],
        mandatoryFeatures: [],
        publicHostKey: null,
      });
    });
    const result = await evaluate(document, 'worker-1');
    expect(result.nix).toMatchObject({
      distributedBuilds: true,
      buildMachines: [{ hostName: 'oxygen', maxJobs: 8, sshKey: '/var/lib/personal-cloud/secrets/builder-key' }],
    });
    expect((await evaluate(renderAt(4), 'worker-1')).nix).toMatchObject({
      distributedBuilds: false,
      buildMachines: [],
    });
  });

  it('refuses /dev/sda as the root disk, naming the node and the option', async () => {
    await expect(
      evaluate(
        broken('worker-3', (n) => (n.disks.root = '/dev/sda')),
        'worker-3',
      ),
    ).rejects.toThrow(
      /^node worker-3 does not evaluate: A definition for option `personalCloud\.node\.disks\.root' is not of type `string matching the pattern \/dev\/disk\/by-\(id\|path\)/,
    );
  });

  it('refuses a volume mount point that disko’s types reject', async () => {
    await expect(
      evaluate(
        broken('worker-2', (n) => (n.disks.volumes[0].mountPath = 'mnt/data')),
        'worker-2',
      ),
    ).rejects.toThrow(
      /^node worker-2 does not evaluate: A definition for option `disko\.devices\.disk\.volume-data\.content\.mountpoint' is not of type `null or \(An absolute path\)'/,
    );
  });

  it('refuses two volumes at one path, or a volume over the root disk', async () => {
    const twice = broken('worker-2', (n) =>
      n.disks.volumes.push({ ...n.disks.volumes[0], name: 'more', hetznerId: 999 }),
    );
    await expect(evaluate(twice, 'worker-2')).rejects.toThrow(/node worker-2 mounts two volumes at the same path/);
    const over = broken('worker-2', (n) => (n.disks.volumes[0].mountPath = '/boot'));
    await expect(evaluate(over, 'worker-2')).rejects.toThrow(/node worker-2 mounts a volume over/);
  });

  it('refuses a value of the wrong type, and a field the option tree does not have', async () => {
    await expect(
      evaluate(
        broken('master-2', (n) => (n.k3s.version = 'v1.34')),
        'master-2',
      ),
    ).rejects.toThrow(/personalCloud\.node\.k3s\.version' is not of type/);
    await expect(
      evaluate(
        broken('master-2', (n) => (n.interfaces.private.mac = '86-00-00-01-00-02')),
        'master-2',
      ),
    ).rejects.toThrow(/personalCloud\.node\.interfaces\.private\.mac' is not of type/);
    await expect(
      evaluate(
        broken('master-2', (n) => (n.k3s.token = 'secret')),
        'master-2',
      ),
    ).rejects.toThrow(/The option `personalCloud\.node\.k3s\.token' does not exist/);
    await expect(
      evaluate(
        broken('master-2', (n) => (n.k3s.tokenFile = '/nix/store/x-token')),
        'master-2',
      ),
    ).rejects.toThrow(/personalCloud\.node\.k3s\.tokenFile' is not of type/);
  });

  it('refuses a second bootstrapping server that also joins one', async () => {
    await expect(
      evaluate(
        broken('master-1', (n) => (n.k3s.serverAddr = 'https://10.0.1.11:6443')),
        'master-1',
      ),
    ).rejects.toThrow(
      'node master-1 does not evaluate: personal-cloud: node master-1 fails 1 assertion(s): personalCloud.node.k3s: node master-1 bootstraps the cluster, so it must be a server with no serverAddr.',
    );
  });

  it('names a node hosts.json does not have, and a k3s minor the pinned nixpkgs lacks', async () => {
    await expect(evaluate(renderAt(1), 'master-1')).rejects.toThrow(
      'node master-1 does not evaluate: personal-cloud: hosts.json has no node master-1; it has worker-1.',
    );
    await expect(
      evaluate(
        broken('master-1', (n) => (n.k3s.version = '1.99')),
        'master-1',
      ),
    ).rejects.toThrow(/the pinned nixpkgs has no k3s_1_99 for k3s 1\.99/);
  });

  it('refuses the placeholder and a hosts.json of another version', async () => {
    await expect(evaluate({ version: 1, unset: true, nodes: {} }, 'worker-1')).rejects.toThrow(
      /no hosts\.json was given; pass --override-input render path:/,
    );
    await expect(evaluate({ ...renderAt(1), version: 1 }, 'worker-1')).rejects.toThrow(
      /has version 1, but these modules read version 2/,
    );
  });
});
