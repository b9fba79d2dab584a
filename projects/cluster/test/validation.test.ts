import { describe, expect, it } from 'vitest';
import { CloudError, ConfigError, parseClusterConfig } from '../src';
import { seedConfig } from './fixtures';

type Config = ReturnType<typeof seedConfig>;

/** Each bad config: what is changed, and the field path and words the error must contain. */
const CASES: { name: string; change: (c: Config) => void; path: string; says: RegExp }[] = [
  {
    name: 'an even control-plane count',
    change: (c) => (c.pools[0].count = 2),
    path: 'pools[0].count',
    says: /odd quorum: allowed 1, 3, 5 or 7/,
  },
  {
    name: 'too many control-plane nodes',
    change: (c) => (c.pools[0].count = 9),
    path: 'pools[0].count',
    says: /allowed 1, 3, 5 or 7/,
  },
  {
    name: 'zero control-plane nodes beside several workers',
    change: (c) => (c.pools[0].count = { 1: 0, 2: 3, 3: 0, 4: 3 }),
    path: 'pools[0].count',
    says: /phase 3 has 3 servers but no control-plane node/,
  },
  {
    name: 'a phase with no servers at all',
    change: (c) => (c.pools[1].count = { 1: 0, 2: 1, 3: 3, 4: 5 }),
    path: 'pools',
    says: /phase 1 has no servers/,
  },
  {
    name: 'an unknown server type',
    change: (c) => (c.pools[1].serverType = 'ccx99'),
    path: 'pools[1].serverType',
    says: /allowed: .*"ccx23"/,
  },
  {
    name: 'an unknown location',
    change: (c) => (c.location = 'ams1'),
    path: 'location',
    says: /allowed: "fsn1", "nbg1", "hel1"/,
  },
  {
    name: 'a volume below 10 GB',
    change: (c) => (c.pools[1].volumes[0].sizeGb = 5),
    path: 'pools[1].volumes[0].sizeGb',
    says: /from 10 to 10240 GB/,
  },
  {
    name: 'a volume above 10240 GB',
    change: (c) => (c.pools[1].volumes[0].sizeGb = 20000),
    path: 'pools[1].volumes[0].sizeGb',
    says: /from 10 to 10240 GB/,
  },
  {
    name: 'a subnet outside its network',
    change: (c) => (c.networks[0].subnets[0].ipRange = '10.1.0.0/24'),
    path: 'networks[0].subnets[0].ipRange',
    says: /outside its network 10\.0\.0\.0\/16/,
  },
  {
    name: 'overlapping subnets',
    change: (c) => c.networks[0].subnets.push({ name: 'more', ipRange: '10.0.1.128/25', zone: 'eu-central' }),
    path: 'networks[0].subnets[1].ipRange',
    says: /overlaps 10\.0\.1\.0\/24/,
  },
  {
    name: 'a subnet with host bits set',
    change: (c) => (c.networks[0].subnets[0].ipRange = '10.0.1.5/24'),
    path: 'networks[0].subnets[0].ipRange',
    says: /no host bits set/,
  },
  {
    name: 'a public network range',
    change: (c) => {
      c.networks[0].ipRange = '8.8.0.0/16';
      c.networks[0].subnets[0].ipRange = '8.8.1.0/24';
    },
    path: 'networks[0].ipRange',
    says: /not private/,
  },
  {
    name: 'duplicate pool names',
    change: (c) => (c.pools[1].name = 'master'),
    path: 'pools[1].name',
    says: /duplicate pool name "master"/,
  },
  {
    name: 'a non-RFC-1123 pool name',
    change: (c) => (c.pools[1].name = 'Worker_1'),
    path: 'pools[1].name',
    says: /RFC 1123/,
  },
  { name: 'a non-RFC-1123 cluster name', change: (c) => (c.name = '-pc'), path: 'name', says: /RFC 1123/ },
  {
    name: 'names that outgrow Hetzner’s 63 characters',
    change: (c) => (c.name = 'a'.repeat(55)),
    path: 'pools[1].name',
    says: /must fit in 63/,
  },
  {
    name: 'more than 10 servers in one spread placement group',
    change: (c) => {
      c.pools[1].count = 12;
      c.pools[1].placement = { spread: true, group: 'all' };
    },
    path: 'pools[1].placement.group',
    says: /would hold 12 servers.*allows 10.*splits into groups of 10/,
  },
  {
    name: 'more than 100 servers on one network',
    change: (c) => {
      c.networks[0].subnets[0].ipRange = '10.0.0.0/20';
      c.pools[1].count = 101;
    },
    path: 'pools',
    says: /101 servers on network cloud; Hetzner allows 100/,
  },
  {
    name: 'a worker pool of zero in phase 4',
    change: (c) => (c.pools[1].count = { 1: 1, 2: 1, 3: 1, 4: 0 }),
    path: 'pools[1].count',
    says: /0 servers in phase 4/,
  },
  { name: 'phase 0', change: (c) => (c.phase = 0), path: 'phase', says: /phase from 1 to 4/ },
  { name: 'phase 5', change: (c) => (c.phase = 5), path: 'phase', says: /phase from 1 to 4/ },
  {
    name: 'a Tailscale rule without Tailscale',
    change: (c) => {
      c.tailscale.enabled = false;
      c.oxygen.enabled = false;
    },
    path: 'firewall.rules[0].from',
    says: /tailscale.enabled is false/,
  },
  {
    name: 'Oxygen without Tailscale',
    change: (c) => {
      c.tailscale.enabled = false;
      c.firewall.rules = [];
    },
    path: 'oxygen.enabled',
    says: /over Tailscale/,
  },
  {
    name: 'a TCP rule without a port',
    change: (c) => delete c.firewall.rules[0].port,
    path: 'firewall.rules[0].port',
    says: /needs a port/,
  },
  {
    name: 'an ICMP rule with a port',
    change: (c) => (c.firewall.rules[3].port = 1),
    path: 'firewall.rules[3].port',
    says: /icmp has no ports/,
  },
  {
    name: 'a backwards port range',
    change: (c) => (c.firewall.rules[2].port = '500-400'),
    path: 'firewall.rules[2].port',
    says: /upwards/,
  },
  {
    name: 'an unknown firewall source',
    change: (c) => (c.firewall.rules[2].from = ['everyone']),
    path: 'firewall.rules[2].from[0]',
    says: /any, operator, tailscale, private-network, an IPv4 address, or an IPv4 network with no host bits set/,
  },
  {
    name: 'a source network with host bits set',
    change: (c) => (c.firewall.rules[2].from = ['198.51.100.7/24']),
    path: 'firewall.rules[2].from[0]',
    says: /no host bits set/,
  },
  {
    name: 'a rule for a role no pool has',
    change: (c) => (c.firewall.rules[2].roles = ['builder']),
    path: 'firewall.rules[2].roles[0]',
    says: /no pool has role builder/,
  },
  {
    name: 'a pool on a subnet that does not exist',
    change: (c) => (c.pools[1].subnet = 'edge'),
    path: 'pools[1].subnet',
    says: /not a subnet; allowed: cloud/,
  },
  {
    name: 'a location outside the subnet’s zone',
    change: (c) => (c.pools[1].location = 'ash'),
    path: 'pools[1].location',
    says: /ash is in zone us-east/,
  },
  {
    name: 'pools whose addresses overlap',
    change: (c) => (c.pools[1].hostOffset = 11),
    path: 'pools[1].hostOffset',
    says: /overlap pool master/,
  },
  {
    name: 'addresses past the end of the subnet',
    change: (c) => (c.pools[1].hostOffset = 252),
    path: 'pools[1].hostOffset',
    says: /outside subnet 10\.0\.1\.0\/24/,
  },
  {
    name: 'a GPU pool with servers',
    change: (c) => c.pools.push({ name: 'gpu', role: 'gpu', serverType: 'ccx23', count: 1, subnet: 'cloud' }),
    path: 'pools[2].count',
    says: /reserved for the future/,
  },
  {
    name: 'app storage on the cold tier',
    change: (c) => (c.apps[1].storage.tier = 'cold'),
    path: 'apps[1].storage.tier',
    says: /allowed: hot, warm/,
  },
  {
    name: 'an app on an unknown pool',
    change: (c) => (c.apps[0].pools = ['edge']),
    path: 'apps[0].pools[0]',
    says: /not a pool; allowed: master, worker, oxygen/,
  },
  {
    name: 'a backup of an app without storage',
    change: (c) => (c.apps[0].backup = { to: 'cold', schedule: '0 1 * * *', keep: 3 }),
    path: 'apps[0].backup',
    says: /nothing to back up/,
  },
  {
    name: 'a misspelt field',
    change: (c) => (c.pools[1].serverTyp = 'ccx23'),
    path: 'pools[1]',
    says: /unknown field serverTyp/,
  },
  {
    name: 'a malformed taint',
    change: (c) => (c.pools[0].taints = ['dedicated']),
    path: 'pools[0].taints[0]',
    says: /NoSchedule\|PreferNoSchedule\|NoExecute/,
  },
  {
    name: 'a per-phase count missing a phase',
    change: (c) => (c.pools[1].count = { 1: 1, 2: 1, 4: 5 }),
    path: 'pools[1].count.3',
    says: /is required/,
  },
  {
    name: 'a malformed operator key',
    change: (c) => (c.operator.sshPublicKey = 'not a key'),
    path: 'operator.sshPublicKey',
    says: /OpenSSH public key/,
  },
  {
    name: 'an SSH key with four letters of key data',
    change: (c) => (c.operator.sshPublicKey = 'ssh-ed25519 AAAA'),
    path: 'operator.sshPublicKey',
    says: /truncated or corrupt ssh-ed25519 key/,
  },
  {
    name: 'an Arm server type in a US location',
    change: (c) => {
      c.location = 'ash';
      c.networks[0].subnets[0].zone = 'us-east';
      c.pools[1].serverType = 'cax21';
    },
    path: 'pools[1].serverType',
    says: /cax21 is not sold in ash \(location\); Hetzner sells it in fsn1, nbg1, hel1/,
  },
  {
    name: 'an Arm server type in a pool placed in Singapore',
    change: (c) => {
      c.networks[0].subnets.push({ name: 'asia', ipRange: '10.0.2.0/24', zone: 'ap-southeast' });
      c.pools.push({ name: 'arm', role: 'worker', serverType: 'cax11', count: 1, subnet: 'asia', location: 'sin' });
    },
    path: 'pools[2].serverType',
    says: /cax11 is not sold in sin \(pools\[2\]\.location\)/,
  },
  {
    name: '17 volumes on each server of a pool',
    change: (c) => (c.pools[1].volumes = Array.from({ length: 17 }, (_, i) => ({ name: `v${i}`, sizeGb: 10 }))),
    path: 'pools[1].volumes',
    says: /17 volumes on one server; Hetzner attaches at most 16/,
  },
  {
    name: 'a __proto__ label key',
    change: (c) => (c.pools[1].labels = JSON.parse('{"__proto__": "x"}')),
    path: 'pools[1].labels.__proto__',
    says: /"__proto__" is not a valid key: must be an optional DNS-subdomain prefix/,
  },
  {
    name: 'a label key with a space',
    change: (c) => (c.pools[1].labels = { 'Bad Key': 'x' }),
    path: 'pools[1].labels["Bad Key"]',
    says: /"Bad Key" is not a valid key: must be .*1–63 letters, digits/,
  },
  {
    name: 'a label key whose prefix passes 253 characters',
    change: (c) => (c.pools[1].labels = { [`${'a'.repeat(254)}/tier`]: 'x' }),
    path: `pools[1].labels["${'a'.repeat(254)}/tier"]`,
    says: /DNS-subdomain prefix/,
  },
  {
    name: 'a label key with Hetzner’s reserved prefix',
    change: (c) => (c.oxygen.labels = { 'hetzner.cloud/x': 'y' }),
    path: 'oxygen.labels["hetzner.cloud/x"]',
    says: /reserves/,
  },
  {
    name: 'a count that is not a number',
    change: (c) => (c.pools[1].count = NaN),
    path: 'pools[1].count',
    says: /^must be a number, got NaN$/,
  },
  {
    name: 'a fractional count',
    change: (c) => (c.pools[1].count = 2.5),
    path: 'pools[1].count',
    says: /^must be a whole number, got 2\.5$/,
  },
  {
    name: 'a count above the range',
    change: (c) => (c.pools[1].count = 5000),
    path: 'pools[1].count',
    says: /^must be at most 1000, got 5000$/,
  },
  {
    name: 'a missing location',
    change: (c) => delete c.location,
    path: 'location',
    says: /^is required; allowed: "fsn1", "nbg1"/,
  },
  {
    name: 'a string where an object belongs',
    change: (c) => (c.storage = 'fast'),
    path: 'storage',
    says: /^must be an object, got "fast"$/,
  },
];

describe('config validation catalogue', () => {
  it('has at least 25 distinct bad configs', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBeGreaterThanOrEqual(25);
  });

  it('accepts the seed config', () => {
    expect(() => parseClusterConfig(seedConfig())).not.toThrow();
  });

  it.each(CASES)('rejects $name, naming $path', ({ change, path, says }) => {
    const config = seedConfig();
    change(config);
    let error: unknown;
    try {
      parseClusterConfig(config, 'cluster.config.ts');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    const hit = problems.find((p) => p.path === path);
    expect(hit, `no problem at ${path}; got ${JSON.stringify(problems)}`).toBeDefined();
    expect(hit!.message).toMatch(says);
    expect((error as ConfigError).message).toContain('cluster.config.ts is not a valid cluster description');
  });

  it('keeps label keys "constructor", "prototype" and a 253-character prefix: they are valid keys and round-trip', () => {
    const config = seedConfig();
    config.pools[1].labels = { constructor: 'a', prototype: 'b', [`${'a'.repeat(253)}/tier`]: 'c' };
    const labels = parseClusterConfig(config).pools[1]!.labels;
    expect(Object.entries(labels)).toEqual([
      ['constructor', 'a'],
      ['prototype', 'b'],
      [`${'a'.repeat(253)}/tier`, 'c'],
    ]);
  });

  it('reports every problem of a config at once', () => {
    const config = seedConfig();
    config.pools[0].count = 2;
    config.pools[1].serverType = 'ccx99';
    config.location = 'ams1';
    const error = (() => {
      try {
        parseClusterConfig(config);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems.map((p) => p.path).sort()).toEqual(['location', 'pools[1].serverType']);
    // Cross-field rules run only once the shapes are right, so the even count is reported on the next try.
  });
});

describe('what the whole default export may be', () => {
  const refusal = (value: unknown) => {
    try {
      parseClusterConfig(value);
    } catch (e) {
      return e as Error;
    }
    throw new Error('accepted');
  };

  it('says "got null" for export default null, in one sentence', () => {
    expect(refusal(null).message).toBe(
      'cluster.config.ts is not a valid cluster description: its default export must be an object, got null.',
    );
  });

  it('gives one sentence about a default-exported Promise instead of a line per missing field', () => {
    const error = refusal(Promise.resolve(seedConfig()));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      'cluster.config.ts is not a valid cluster description: its default export is a Promise; export the config object itself (export default defineCluster({...})), not a promise or the result of an async function.',
    );
  });

  it('turns a getter that throws into one sentence naming the file and the error', () => {
    const config = seedConfig();
    Object.defineProperty(config, 'phase', {
      enumerable: true,
      get: () => {
        throw new Error('no phase today');
      },
    });
    const error = refusal(config);
    expect(error).toBeInstanceOf(CloudError);
    expect(error.message).toBe(
      'cluster.config.ts could not be read: reading its default export threw Error "no phase today".',
    );
  });
});
