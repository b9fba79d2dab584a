// The personal cloud, described once. This file is public intent: it names concrete values
// (keys, addresses, IDs) only through `vars.*`, which resolve from the age-encrypted vault.
// Moving between phases is one edit: change `phase`.
import { defineCluster, vars } from '@personal-cloud/cluster';

export default defineCluster({
  name: 'personal-cloud',
  phase: 4,
  location: 'fsn1',

  operator: {
    sshPublicKey: vars.OPERATOR.ssh_public_key,
    address: vars.OPERATOR.address,
  },

  networks: [
    {
      name: 'cloud',
      ipRange: '10.0.0.0/16',
      subnets: [{ name: 'cloud', ipRange: '10.0.1.0/24', zone: 'eu-central' }],
    },
  ],

  tailscale: { enabled: true, tags: ['tag:personal-cloud'] },

  pools: [
    {
      // Phase 1 has no dedicated control plane: its one CCX23 (worker-1) runs everything.
      name: 'master',
      role: 'control-plane',
      serverType: 'cpx11',
      count: { 1: 0, 2: 3, 3: 3, 4: 3 },
      subnet: 'cloud',
      hostOffset: 10,
      primaryIpv4: false,
      taints: ['node-role.kubernetes.io/control-plane:NoSchedule'],
    },
    {
      name: 'worker',
      role: 'worker',
      serverType: 'ccx23',
      count: { 1: 1, 2: 1, 3: 3, 4: 5 },
      subnet: 'cloud',
      hostOffset: 20,
      labels: { 'personal-cloud/storage': 'nvme' },
      volumes: [{ name: 'data', sizeGb: 500, fromPhase: 4, format: 'ext4', mountPath: '/mnt/warm' }],
    },
  ],

  firewall: {
    rules: [
      { name: 'ssh', protocol: 'tcp', port: 22, from: ['tailscale', 'operator'] },
      {
        name: 'kube-api',
        protocol: 'tcp',
        port: 6443,
        from: ['private-network', 'tailscale'],
        roles: ['control-plane'],
      },
      { name: 'http', protocol: 'tcp', port: 80, from: ['any'], roles: ['worker'] },
      { name: 'https', protocol: 'tcp', port: 443, from: ['any'], roles: ['worker'] },
      { name: 'eth-p2p-tcp', protocol: 'tcp', port: 30303, from: ['any'], roles: ['worker'] },
      { name: 'eth-p2p-udp', protocol: 'udp', port: 30303, from: ['any'], roles: ['worker'] },
      { name: 'icmp', protocol: 'icmp', from: ['any'] },
    ],
  },

  storage: {
    hot: { storageClass: 'hot-nvme', path: '/var/lib/hot' },
    warm: { storageClass: 'warm-block' },
    cold: {
      endpoint: 'https://fsn1.your-objectstorage.com',
      region: 'fsn1',
      buckets: { backups: 'personal-cloud-backups', archive: 'personal-cloud-archive', cache: 'personal-cloud-cache' },
      fromPhase: 3,
    },
  },

  oxygen: {
    enabled: true,
    hostname: 'oxygen',
    roles: ['builder', 'worker'],
    labels: { 'personal-cloud/builder': 'true' },
    taints: ['personal-cloud/builder=true:NoSchedule'],
    builder: { systems: ['x86_64-linux'], maxJobs: 8, speedFactor: 4, features: ['big-parallel', 'kvm', 'nixos-test'] },
  },

  apps: [
    { name: 'website', image: 'ghcr.io/personal-cloud/website:1.0.0', replicas: 2, port: 8080, host: 'example.org' },
    {
      name: 'nix-cache',
      image: 'ghcr.io/zhaofengli/attic:0.1.0',
      port: 8080,
      host: 'cache.example.org',
      storage: { tier: 'warm', sizeGb: 200 },
      backup: 'none',
      gc: { intervalHours: 12, retentionDays: 90 },
    },
    {
      name: 'eth-node',
      image: 'ethereum/client-go:v1.14.11',
      fromPhase: 3,
      // The chain (100–500 GB) does not fit a CCX23's 160 GB NVMe: it lives on the warm volume and is
      // resynced after a loss. Only the small keys-and-checkpoint claim is backed up.
      storage: { tier: 'warm', sizeGb: 350 },
      backup: { to: 'cold', schedule: '0 3 * * 0', keep: 4, claims: ['keys'] },
      pools: ['worker'],
    },
    {
      name: 'analysis',
      image: 'ghcr.io/personal-cloud/analysis:0.1.0',
      replicas: 0,
      fromPhase: 3,
      storage: { tier: 'warm', sizeGb: 50 },
      backup: { to: 'cold', schedule: '30 2 * * *', keep: 14 },
    },
  ],

  // The repository Flux follows: k8s-apps pushes its rendered tree there (a bare repo under .sandbox/ in the sandbox).
  gitops: { url: 'ssh://git@github.com/personal-cloud/gitops.git', branch: 'main' },
  acme: { email: 'admin@example.org' },
});
