import { describe, expect, it } from 'vitest';
import {
  desiredResources,
  hetznerFirewalls,
  hostFirewallRules,
  nodesInPhase,
  parseClusterConfig,
  type DesiredServer,
} from '../src';
import { seedConfig } from './fixtures';

const secrets = {
  sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI',
  operatorAddress: '198.51.100.7',
};
const config = (change: (c: ReturnType<typeof seedConfig>) => void = () => {}) => {
  const c = seedConfig();
  change(c);
  return parseClusterConfig(c);
};

describe('nodes of a phase', () => {
  it('runs everything on one CCX23 in phase 1', () => {
    const nodes = nodesInPhase(config(), 1);
    expect(nodes.map((n) => [n.name, n.serverType, n.k3s])).toEqual([['worker-1', 'ccx23', { role: 'server' }]]);
  });

  it('keeps the phase-1 CCX23 as a worker in phase 2, with the same name, address and key', () => {
    const [phase1] = nodesInPhase(config(), 1);
    const phase2 = nodesInPhase(config(), 2);
    expect(phase2.map((n) => n.name)).toEqual(['master-1', 'master-2', 'master-3', 'worker-1']);
    const worker = phase2.find((n) => n.name === 'worker-1')!;
    expect(worker).toMatchObject({
      privateIp: phase1!.privateIp,
      varsKey: 'WORKER_1',
      hetznerName: phase1!.hetznerName,
      serverType: 'ccx23',
    });
    expect(worker.k3s.role).toBe('agent');
    expect(phase2.filter((n) => n.k3s.role === 'server').map((n) => n.name)).toEqual([
      'master-1',
      'master-2',
      'master-3',
    ]);
    // Which server bootstraps is the hosts layer's decision (is there a cluster yet?), not the model's.
    expect(phase2.some((n) => 'clusterInit' in n.k3s)).toBe(false);
  });

  it('uses the seed’s addresses and vars keys', () => {
    const nodes = nodesInPhase(config(), 4);
    expect(nodes.find((n) => n.name === 'master-1')).toMatchObject({ privateIp: '10.0.1.10', varsKey: 'MASTER_1' });
    expect(nodes.find((n) => n.name === 'worker-1')).toMatchObject({ privateIp: '10.0.1.20', varsKey: 'WORKER_1' });
    expect(nodes).toHaveLength(8);
  });

  it('gives the same addresses for the same config, and never renumbers on growth', () => {
    const before = nodesInPhase(config(), 3);
    expect(nodesInPhase(config(), 3)).toEqual(before);
    const grown = nodesInPhase(
      config((c) => (c.pools[1].count = { 1: 1, 2: 1, 3: 4, 4: 5 })),
      3,
    );
    for (const node of before) expect(grown.find((n) => n.name === node.name)).toEqual(node);
    expect(grown.find((n) => n.name === 'worker-4')?.privateIp).toBe('10.0.1.23');
  });

  it('adding a pool renumbers nothing that exists', () => {
    const before = nodesInPhase(config(), 4);
    const after = nodesInPhase(
      config((c) =>
        c.pools.push({
          name: 'edge',
          role: 'worker',
          serverType: 'cpx11',
          count: { 1: 0, 2: 2, 3: 2, 4: 2 },
          subnet: 'cloud',
          hostOffset: 40,
        }),
      ),
      4,
    );
    for (const node of before) expect(after.find((n) => n.name === node.name)).toEqual(node);
  });

  it('splits spread placement groups every 10 servers without moving anyone', () => {
    const big = config((c) => {
      c.networks[0].subnets[0].ipRange = '10.0.0.0/20';
      c.pools[1].count = { 1: 1, 2: 1, 3: 3, 4: 25 };
    });
    const groups = nodesInPhase(big, 4)
      .filter((n) => n.pool === 'worker')
      .map((n) => n.placementGroup);
    expect(groups.filter((g) => g === 'pc-worker-spread-1')).toHaveLength(10);
    expect(groups.filter((g) => g === 'pc-worker-spread-2')).toHaveLength(10);
    expect(groups.filter((g) => g === 'pc-worker-spread-3')).toHaveLength(5);
  });

  it('attaches the 500 GB volumes from phase 4 only', () => {
    expect(nodesInPhase(config(), 3).flatMap((n) => n.volumes)).toEqual([]);
    const volumes = nodesInPhase(config(), 4).flatMap((n) => n.volumes);
    expect(volumes).toHaveLength(5);
    expect(volumes[0]).toEqual({
      name: 'data',
      hetznerName: 'pc-worker-1-data',
      sizeGb: 500,
      format: 'ext4',
      mountPath: '/mnt/data',
    });
  });
});

describe('desired Hetzner resources', () => {
  it('labels every resource so it can be adopted and swept', () => {
    for (const r of desiredResources(config(), secrets))
      expect(r.labels).toMatchObject({
        'managed-by': 'personal-cloud',
        cluster: 'pc',
        role: expect.any(String),
        name: expect.any(String),
      });
  });

  it('has unique names per type and only references resources that exist', () => {
    const resources = desiredResources(config(), secrets);
    const names = new Set(resources.map((r) => `${r.type}/${r.name}`));
    expect(names.size).toBe(resources.length);
    for (const server of resources.filter((r): r is DesiredServer => r.type === 'server')) {
      expect(names).toContain(`network/${server.network.name}`);
      for (const key of server.sshKeys) expect(names).toContain(`ssh_key/${key}`);
      if (server.placementGroup) expect(names).toContain(`placement_group/${server.placementGroup}`);
      for (const volume of server.volumes) expect(names).toContain(`volume/${volume}`);
    }
  });

  it('moves from phase 1 to 2 by adding three control-plane servers and their group only', () => {
    const key = (r: { type: string; name: string }) => `${r.type}/${r.name}`;
    const one = desiredResources(config(), secrets, 1);
    const two = desiredResources(config(), secrets, 2);
    const added = two.filter((r) => !one.some((o) => key(o) === key(r))).map(key);
    expect(added).toEqual([
      'placement_group/pc-master-spread-1',
      'server/pc-master-1',
      'server/pc-master-2',
      'server/pc-master-3',
    ]);
    const worker = (list: typeof one) => list.find((r) => r.name === 'pc-worker-1');
    expect(worker(two)).toEqual(worker(one));
  });

  it('gives a named primary IPv4 only to pools that ask for one', () => {
    const resources = desiredResources(
      config((c) => (c.pools[0].primaryIpv4 = true)),
      secrets,
      4,
    );
    expect(resources.filter((r) => r.type === 'primary_ip').map((r) => r.name)).toEqual([
      'pc-master-1-ipv4',
      'pc-master-2-ipv4',
      'pc-master-3-ipv4',
    ]);
    expect((resources.find((r) => r.name === 'pc-master-1') as DesiredServer).primaryIpv4).toBe('pc-master-1-ipv4');
  });
});

describe('firewall intent', () => {
  const firewalls = hetznerFirewalls(config(), '198.51.100.7');
  const all = firewalls.find((f) => f.appliesTo === 'all')!;

  it('opens SSH to the operator only, never to the world', () => {
    const ssh = all.rules.find((r) => r.description === 'ssh');
    expect(ssh).toMatchObject({ protocol: 'tcp', port: '22', source_ips: ['198.51.100.7/32'] });
  });

  it('opens Tailscale’s UDP port for direct connections', () => {
    expect(all.rules).toContainEqual(
      expect.objectContaining({ protocol: 'udp', port: '41641', source_ips: ['0.0.0.0/0', '::/0'] }),
    );
  });

  it('leaves private-network and tailnet sources to the hosts, which see those interfaces', () => {
    expect(firewalls.flatMap((f) => f.rules).some((r) => r.description === 'kube-api')).toBe(false);
    expect(hostFirewallRules(config())).toContainEqual({
      name: 'kube-api',
      protocol: 'tcp',
      port: '6443',
      interface: 'private',
      roles: ['control-plane'],
    });
    expect(hostFirewallRules(config())).toContainEqual({
      name: 'ssh',
      protocol: 'tcp',
      port: '22',
      interface: 'tailscale0',
      roles: 'all',
    });
  });

  it('applies role rules by label selector', () => {
    const worker = firewalls.find((f) => f.appliesTo === 'worker')!;
    expect(worker.labelSelector).toBe('managed-by=personal-cloud,cluster=pc,role=worker');
    expect(worker.rules.map((r) => r.description)).toEqual(['https']);
  });
});
