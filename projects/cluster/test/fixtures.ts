/** The seed's cloud as a config, fresh on every call so a test may mutate it. */
// Loosely typed on purpose: tests break it in ways the real type forbids.
export function seedConfig(): Record<string, any> {
  return {
    name: 'pc',
    phase: 4,
    location: 'fsn1',
    operator: {
      sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI op',
      address: '198.51.100.7',
    },
    networks: [
      {
        name: 'cloud',
        ipRange: '10.0.0.0/16',
        subnets: [{ name: 'cloud', ipRange: '10.0.1.0/24', zone: 'eu-central' }],
      },
    ],
    tailscale: { enabled: true },
    pools: [
      {
        name: 'master',
        role: 'control-plane',
        serverType: 'cpx11',
        count: { 1: 0, 2: 3, 3: 3, 4: 3 },
        subnet: 'cloud',
        hostOffset: 10,
      },
      {
        name: 'worker',
        role: 'worker',
        serverType: 'ccx23',
        count: { 1: 1, 2: 1, 3: 3, 4: 5 },
        subnet: 'cloud',
        hostOffset: 20,
        volumes: [{ name: 'data', sizeGb: 500, fromPhase: 4 }],
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
        { name: 'https', protocol: 'tcp', port: 443, from: ['any'], roles: ['worker'] },
        { name: 'icmp', protocol: 'icmp', from: ['any'] },
      ],
    },
    storage: {
      hot: { storageClass: 'hot-nvme', path: '/var/lib/hot' },
      warm: { storageClass: 'warm-block' },
      cold: {
        endpoint: 'https://fsn1.your-objectstorage.com',
        region: 'fsn1',
        buckets: { backups: 'pc-backups', archive: 'pc-archive' },
        fromPhase: 3,
      },
    },
    oxygen: { enabled: true, hostname: 'oxygen', roles: ['builder', 'worker'] },
    apps: [
      { name: 'website', image: 'ghcr.io/example/website:1.0.0', replicas: 2 },
      {
        name: 'eth-node',
        image: 'ethereum/client-go:v1.14.11',
        fromPhase: 3,
        storage: { tier: 'hot', sizeGb: 500 },
        backup: { to: 'cold', schedule: '0 3 * * 0', keep: 4 },
      },
    ],
  };
}
