import { describe, expect, it } from 'vitest';
import { CloudError, nodesInPhase } from '@personal-cloud/cluster';
import { missingVarsSentence } from '../src/render/node-vars';
import { renderHosts } from '../src/render/render-hosts';
import { configAt, renderAt, varsFor } from './fixtures';
import { hostNix } from '@personal-cloud/builder';

describe('hosts.json', () => {
  it('makes phase 1 one server that starts the cluster and runs workloads', () => {
    const document = renderAt(1);
    expect(Object.keys(document.nodes)).toEqual(['worker-1']);
    const node = document.nodes['worker-1']!;
    expect(node.k3s).toMatchObject({
      role: 'server',
      bootstrap: true,
      serverAddr: null,
      nodeIp: '10.0.1.20',
      flannelIface: 'private0',
      version: '1.34',
    });
    expect(node.k3s.tlsSans).toEqual(['10.0.1.20', 'pc-worker-1']);
    expect(node.k3s.taints).toEqual([]);
    expect(document.k3s.bootstrapNode).toBe('worker-1');
    // Cold storage is bought from phase 3: until then snapshots stay on the node.
    expect(node.k3s.etcdSnapshots).toEqual({ schedule: '0 */6 * * *', retention: 28, s3: null });
  });

  it('addresses each node by the facts infra recorded: MAC, /64, ids', () => {
    const node = renderAt(4).nodes['worker-1']!;
    expect(node.interfaces.private).toEqual({
      mac: '86:00:00:01:00:04',
      name: 'private0',
      network: '10.0.0.0/16',
      gateway: '10.0.0.1',
    });
    expect(node.addresses).toEqual({
      privateIpv4: '10.0.1.20',
      publicIpv4: '203.0.113.4',
      publicIpv6: '2001:db8:4::1/64',
    });
    expect(node.hetznerId).toBe(104);
    expect(node.disks).toEqual({
      root: '/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi0-0-0-0',
      volumes: [{ name: 'data', hetznerId: 504, mountPath: '/mnt/data', format: 'ext4', tier: 'warm' }],
    });
    expect(node.storage.hotPath).toBe('/var/lib/hot');
  });

  it('lets only the first control-plane server start a new cluster; the rest join it', () => {
    const document = renderAt(4);
    const nodes = Object.values(document.nodes);
    expect(nodes.filter((n) => n.k3s.bootstrap).map((n) => n.name)).toEqual(['master-1']);
    for (const node of nodes.filter((n) => !n.k3s.bootstrap))
      expect(node.k3s.serverAddr).toBe('https://10.0.1.10:6443');
    expect(nodes.filter((n) => n.k3s.role === 'server').map((n) => n.name)).toEqual([
      'master-1',
      'master-2',
      'master-3',
    ]);
  });

  it('starts no cluster when one exists: new control planes join the phase-1 server', () => {
    const document = renderAt(2, ['worker-1']);
    expect(document.k3s.bootstrapNode).toBeNull();
    for (const name of ['master-1', 'master-2', 'master-3'])
      expect(document.nodes[name]!.k3s).toMatchObject({ bootstrap: false, serverAddr: 'https://10.0.1.20:6443' });
    // Phase 1's server becomes an agent of the new control plane (after the migration moves etcd off it).
    expect(document.nodes['worker-1']!.k3s).toMatchObject({
      role: 'agent',
      bootstrap: false,
      serverAddr: 'https://10.0.1.10:6443',
    });
  });

  it('keeps a sole server member as it is: k3s ignores clusterInit once its datastore exists', () => {
    const document = renderAt(1, ['worker-1']);
    expect(document.nodes['worker-1']!.k3s).toMatchObject({ role: 'server', bootstrap: true, serverAddr: null });
  });

  it('joins a reinstalled master-1 to another member, never to a new cluster of its own', () => {
    const document = renderAt(4, ['master-1', 'master-2', 'master-3']);
    expect(document.nodes['master-1']!.k3s).toMatchObject({ bootstrap: false, serverAddr: 'https://10.0.1.11:6443' });
    expect(document.nodes['master-2']!.k3s.serverAddr).toBe('https://10.0.1.10:6443');
  });

  it('refuses a phase that keeps none of the running cluster’s servers, naming them', () => {
    expect(() => renderAt(1, ['master-1', 'master-2', 'master-3'])).toThrow(
      new CloudError(
        "hosts' state says the cluster's servers are master-1, master-2, master-3, and none of them is a node of phase 1, so no node could join: choose a phase that keeps one of them.",
      ),
    );
  });

  it('gives every server the same cluster flags, and etcd snapshots to the cold tier from its phase', () => {
    const nodes = Object.values(renderAt(3).nodes);
    const servers = nodes.filter((n) => n.k3s.role === 'server');
    expect(new Set(servers.map((n) => JSON.stringify(n.k3s.clusterFlags))).size).toBe(1);
    expect(servers[0]!.k3s.clusterFlags).toContain('--cluster-cidr=10.42.0.0/16');
    expect(servers[0]!.k3s.etcdSnapshots?.s3).toEqual({
      endpoint: 'fsn1.your-objectstorage.com',
      region: 'fsn1',
      bucket: 'pc-backups',
      folder: 'etcd/pc',
      credentialsFile: '/var/lib/personal-cloud/secrets/etcd-s3.env',
    });
    for (const agent of nodes.filter((n) => n.k3s.role === 'agent')) expect(agent.k3s.etcdSnapshots).toBeNull();
  });

  it('opens SSH and the API only on the private network and Tailscale, and k3s’s peer ports privately', () => {
    const nodes = renderAt(4).nodes;
    const master = nodes['master-1']!.firewall;
    expect(master.private).toEqual({
      tcp: [22, 6443, 10250],
      udp: [8472],
      tcpRanges: [{ from: 2379, to: 2380 }],
      udpRanges: [],
    });
    expect(master.tailscale.tcp).toEqual([22, 6443]);
    // The config lets the operator's address reach SSH through Hetzner's firewall; the host still keeps 22 off the public side.
    expect(master.public.tcp).toEqual([]);
    const worker = nodes['worker-1']!.firewall;
    expect(worker.public.tcp).toEqual([443]);
    expect(worker.private).toEqual({ tcp: [22, 10250], udp: [8472], tcpRanges: [], udpRanges: [] });
    expect(worker.tailscale.tcp).toEqual([22]);
  });

  it('names the extra files each node receives, never their contents', () => {
    const nodes = renderAt(4).nodes;
    expect(nodes['master-1']!.extraFiles).toEqual([
      'etc/ssh/ssh_host_ed25519_key',
      'var/lib/personal-cloud/secrets/k3s-token',
      'var/lib/personal-cloud/secrets/tailscale-auth-key',
      'var/lib/personal-cloud/secrets/etcd-s3.env',
    ]);
    expect(nodes['worker-1']!.extraFiles).not.toContain('var/lib/personal-cloud/secrets/etcd-s3.env');
    expect(nodes['master-1']!.k3s.tokenFile).toBe('/var/lib/personal-cloud/secrets/k3s-token');
    expect(nodes['master-1']!.access).toEqual({
      operatorKeys: [configAt(4).operator.sshPublicKey],
      hostKeyFile: '/etc/ssh/ssh_host_ed25519_key',
    });
  });

  it('is the same document for the same inputs', () => {
    expect(JSON.stringify(renderAt(4))).toBe(JSON.stringify(renderAt(4)));
  });
});

describe('hosts.json from incomplete vars', () => {
  const render = (edit: (vars: Record<string, any>) => void) => {
    const config = configAt(4);
    const nodes = nodesInPhase(config);
    const vars = varsFor(nodes) as Record<string, any>;
    edit(vars);
    return renderHosts({ config, nodes, vars, hostsState: { k3sServers: [] }, nix: hostNix(config, nodes, vars) });
  };

  it('leaves out a server that infra has not created yet, naming every var it lacks', () => {
    const document = render((vars) => delete vars.CLUSTER.WORKER_5);
    expect(Object.keys(document.nodes)).not.toContain('worker-5');
    expect(Object.keys(document.nodes)).toHaveLength(7);
    expect(document.pending).toEqual([
      {
        node: 'worker-5',
        missingVars: [
          'vars.CLUSTER.WORKER_5.hetzner_id',
          'vars.CLUSTER.WORKER_5.private_mac',
          'vars.CLUSTER.WORKER_5.volumes.data.hetzner_id',
          'vars.CLUSTER.WORKER_5.public_ipv6',
        ],
      },
    ]);
    expect(missingVarsSentence(document.pending.flatMap((p) => p.missingVars))).toBe(
      "the vault's vars lack vars.CLUSTER.WORKER_5.hetzner_id, vars.CLUSTER.WORKER_5.private_mac, vars.CLUSTER.WORKER_5.volumes.data.hetzner_id, vars.CLUSTER.WORKER_5.public_ipv6, which `npx nx run infra:provision` records when it creates the servers and volumes: run it first.",
    );
  });

  it('names a missing MAC address or volume id alone, and keeps the joins of the whole phase', () => {
    const document = render((vars) => {
      delete vars.CLUSTER.MASTER_1.private_mac;
      delete vars.CLUSTER.WORKER_3.volumes;
    });
    expect(document.pending).toEqual([
      { node: 'master-1', missingVars: ['vars.CLUSTER.MASTER_1.private_mac'] },
      { node: 'worker-3', missingVars: ['vars.CLUSTER.WORKER_3.volumes.data.hetzner_id'] },
    ]);
    // master-1 still starts the cluster once it exists: nobody else takes its place meanwhile.
    expect(document.k3s.bootstrapNode).toBe('master-1');
    expect(document.nodes['master-2']!.k3s).toMatchObject({ bootstrap: false, serverAddr: 'https://10.0.1.10:6443' });
  });

  it('names an IPv6 value that is not a /64', () => {
    expect(() => render((vars) => (vars.CLUSTER.MASTER_1.public_ipv6 = '2001:db8::7'))).toThrow(
      new CloudError(
        'vars.CLUSTER.MASTER_1.public_ipv6 is "2001:db8::7", which is not an IPv6 /64 network such as 2001:db8:1:2::/64.',
      ),
    );
  });
});
