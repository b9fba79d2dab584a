// The shape of cluster.config.ts: the user's public intent, with no concrete IPs, IDs or keys.
// Field-level rules live here (types, enums, ranges, formats); rules that relate fields to each
// other (subnets inside networks, odd control planes, limits) live in validate-config.ts.
import { z } from 'zod';
import { LIMITS, LOCATIONS, NETWORK_ZONES, SERVER_TYPES } from './hetzner-catalog';
import { isIpv4, parseCidr } from './ipv4';
import { sshPublicKeyProblem } from './ssh-public-key';
import { isVarRef, type VarRef } from './vars';

export const PHASES = [1, 2, 3, 4] as const;
export type Phase = (typeof PHASES)[number];

export const ROLES = ['control-plane', 'worker', 'builder', 'gpu'] as const;
export type Role = (typeof ROLES)[number];

/** RFC 1123 label: what Kubernetes, DNS and Hetzner all accept as a name. */
const RFC1123 = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const name = z
  .string()
  .regex(
    RFC1123,
    'must be an RFC 1123 name: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
  );

const cidr = z
  .string()
  .refine(
    (text) => parseCidr(text) !== undefined,
    'must be an IPv4 network in CIDR form with no host bits set, e.g. 10.0.0.0/16',
  );

/** One address (198.51.100.7) or a whole network (198.51.100.0/24): what Hetzner takes as a rule source. */
export const ipv4AddressOrNetwork = z
  .string()
  .refine(
    (text) => isIpv4(text) || parseCidr(text) !== undefined,
    'must be an IPv4 address (198.51.100.7) or a network with no host bits set (198.51.100.0/24)',
  );

export const sshPublicKey = z.string().superRefine((text, context) => {
  const problem = sshPublicKeyProblem(text);
  if (problem) context.addIssue({ code: 'custom', message: problem, input: text });
});

/** A value that may be written in the config or, better, referenced from the vault with `vars.X.y`. */
const secretOr = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.custom<VarRef>(isVarRef, 'must be a vars.* reference')]);

/** A count per phase: one number for all phases, or one for each of 1–4. */
const count = z.number().int().min(0).max(1000);
export const perPhaseCount = z.union([count, z.strictObject({ 1: count, 2: count, 3: count, 4: count })]);

const phase = z.number().int().min(1, 'must be a phase from 1 to 4').max(4, 'must be a phase from 1 to 4');

// Label keys as Hetzner and Kubernetes both take them: an optional DNS-subdomain prefix (at most 253
// characters) and "/", then a name of at most 63 characters. Hetzner reserves the hetzner.cloud/ prefix.
const LABEL_KEY_FORMAT =
  'an optional DNS-subdomain prefix and "/", then 1–63 letters, digits, "-", "_" or "." starting and ending with a letter or digit, e.g. example.com/tier';
const labelKey = z
  .string()
  .regex(
    /^((?=[-a-z0-9.]{1,253}\/)[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
    `must be ${LABEL_KEY_FORMAT}`,
  )
  .refine(
    (key) => !key.startsWith('hetzner.cloud/'),
    'uses the prefix hetzner.cloud/, which Hetzner reserves for itself',
  );
const labelValue = z
  .string()
  .regex(
    /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/,
    'must be a label value: at most 63 letters, digits, "-", "_" or "." starting and ending with a letter or digit',
  );
/**
 * A key named __proto__ never reaches a record: zod skips it and plain objects turn it into a
 * prototype, so the label would vanish without a word. It is refused here, where the raw object
 * is still visible; every other key, "constructor" included, is an own property and round-trips.
 */
const labels = z.preprocess(
  (value, context) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__'))
      context.issues.push({
        code: 'custom',
        path: ['__proto__'],
        input: '__proto__',
        message: `"__proto__" is not a valid key: must be ${LABEL_KEY_FORMAT}`,
      });
    return value;
  },
  z.record(labelKey, labelValue),
);
const taint = z
  .string()
  .regex(
    /^[^=:\s]+(=[^=:\s]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$/,
    'must be a taint key[=value]:NoSchedule|PreferNoSchedule|NoExecute',
  );

export const volumeSchema = z.strictObject({
  name,
  sizeGb: z
    .number()
    .int()
    .min(LIMITS.volumeMinGb, `must be from ${LIMITS.volumeMinGb} to ${LIMITS.volumeMaxGb} GB`)
    .max(LIMITS.volumeMaxGb, `must be from ${LIMITS.volumeMinGb} to ${LIMITS.volumeMaxGb} GB`),
  /** The first phase in which every node of the pool has this volume. */
  fromPhase: phase.default(1),
  format: z.enum(['ext4', 'xfs']).default('ext4'),
  mountPath: z
    .string()
    .regex(/^\/[^\0]*$/, 'must be an absolute path')
    .optional(),
});

export const poolSchema = z.strictObject({
  name,
  role: z.enum(ROLES),
  serverType: z.enum(SERVER_TYPES),
  count: perPhaseCount,
  location: z.enum(LOCATIONS).optional(),
  /** The subnet (by name) the pool's private addresses come from. */
  subnet: name,
  /** Node n gets the subnet's base address + hostOffset + n − 1: adding a node never renumbers another. */
  hostOffset: z.number().int().min(2).optional(),
  image: z.string().min(1).default('ubuntu-24.04'),
  labels: labels.default({}),
  taints: z.array(taint).default([]),
  volumes: z.array(volumeSchema).default([]),
  placement: z
    .strictObject({
      /** Spread the pool's servers over hosts; Hetzner allows 10 servers per spread group. */
      spread: z.boolean().default(true),
      /** A named group shared with other pools; without it each pool gets its own groups of at most 10. */
      group: name.optional(),
    })
    .default({ spread: true }),
  /** Give each server a named primary IPv4 that outlives the server (stable addresses across rebuilds). */
  primaryIpv4: z.boolean().default(false),
  ipv6: z.boolean().default(true),
});

export const subnetSchema = z.strictObject({
  name,
  ipRange: cidr,
  zone: z.enum(NETWORK_ZONES),
});

export const networkSchema = z.strictObject({
  name,
  ipRange: cidr,
  subnets: z.array(subnetSchema).min(1, 'needs at least one subnet'),
});

export const FIREWALL_SOURCES = ['any', 'operator', 'tailscale', 'private-network'] as const;
export type FirewallSource = (typeof FIREWALL_SOURCES)[number];
const source = z.union([
  z.enum(FIREWALL_SOURCES),
  z
    .string()
    .refine(
      (text) => isIpv4(text) || parseCidr(text) !== undefined,
      `must be one of ${FIREWALL_SOURCES.join(', ')}, an IPv4 address, or an IPv4 network with no host bits set`,
    ),
]);
const port = z.union([
  z.number().int().min(1).max(65535),
  z.string().regex(/^\d{1,5}-\d{1,5}$/, 'must be a port (1–65535) or a range "from-to"'),
]);

export const firewallRuleSchema = z.strictObject({
  name,
  protocol: z.enum(['tcp', 'udp', 'icmp', 'gre', 'esp']),
  port: port.optional(),
  from: z.array(source).min(1, 'needs at least one source'),
  /** The roles whose servers get the rule; all servers when omitted. */
  roles: z.array(z.enum(ROLES)).optional(),
});

const bucket = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name: 3–63 lowercase letters, digits, "." or "-"');

export const storageSchema = z.strictObject({
  hot: z.strictObject({
    storageClass: name,
    path: z.string().regex(/^\//, 'must be an absolute path'),
    /** The node labels that mark a node as having the hot NVMe tier; hot claims must be pinned to them. */
    nodeLabels: labels.default({ 'personal-cloud/storage': 'nvme' }),
    /** What a node's disk keeps for the OS, k3s and images; hot claims share the rest. */
    osReserveGb: z.number().int().min(0).max(10240).default(40),
  }),
  warm: z.strictObject({
    storageClass: name,
    /** The pool volume whose mount path roots the warm tier on each node that has it. */
    volume: name.default('data'),
    /** The hcloud CSI class, for a claim that must move between nodes: a new, billed Hetzner volume. */
    movableStorageClass: name.default('hcloud-volumes'),
  }),
  cold: z.strictObject({
    endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    region: z.string().min(1),
    buckets: z.strictObject({
      backups: bucket,
      archive: bucket,
      /** The binary cache's chunks (attic); the archive bucket when omitted. */
      cache: bucket.optional(),
    }),
    /** The phase from which the object storage is bought. */
    fromPhase: phase.default(1),
  }),
});

/** Roles that would make Oxygen a k3s server, and so an etcd member: refused with the reason instead of "not allowed". */
const SERVER_ROLES = ['control-plane', 'server', 'etcd', 'master'];
const OXYGEN_NOT_A_SERVER =
  'would make Oxygen a k3s server and an embedded etcd member, but etcd members must be co-located (low, steady latency and always on) and a desktop that joins over Tailscale and sleeps is neither, so Oxygen is only ever a k3s agent; allowed: builder, worker';
const oxygenRoles = z.preprocess(
  (value, context) => {
    if (!Array.isArray(value)) return value;
    value.forEach((role, i) => {
      if (SERVER_ROLES.includes(role))
        context.issues.push({ code: 'custom', path: [i], input: role, message: `"${role}" ${OXYGEN_NOT_A_SERVER}` });
    });
    return value;
  },
  z.array(z.enum(['builder', 'worker'])).min(1, 'needs at least one of builder, worker'),
);

export const oxygenSchema = z.strictObject({
  enabled: z.boolean(),
  hostname: name,
  roles: oxygenRoles,
  labels: labels.default({}),
  taints: z.array(taint).default([]),
  builder: z
    .strictObject({
      systems: z.array(z.enum(['x86_64-linux', 'aarch64-linux', 'i686-linux'])).min(1),
      maxJobs: z.number().int().min(1).max(256).default(4),
      speedFactor: z.number().int().min(1).max(100).default(2),
      features: z.array(z.enum(['nixos-test', 'benchmark', 'big-parallel', 'kvm'])).default([]),
      /** The container's share of the desktop (podman --cpus, --memory), so the desktop stays usable while it builds. */
      cpus: z.number().min(0.5).max(256).default(4),
      memoryGb: z.number().int().min(1).max(4096).default(8),
      /** Who runs the container: its systemd unit, or (once Oxygen is a node) Kubernetes, as a workload pinned to Oxygen. */
      managedBy: z.enum(['systemd', 'kubernetes']).default('systemd'),
      /** Also list the cluster's workers as build machines for light builds (speed 1, one job, no big-parallel). */
      clusterFallback: z.boolean().default(false),
    })
    .default({
      systems: ['x86_64-linux'],
      maxJobs: 4,
      speedFactor: 2,
      features: [],
      cpus: 4,
      memoryGb: 8,
      managedBy: 'systemd',
      clusterFallback: false,
    }),
});

export const appSchema = z.strictObject({
  name,
  image: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$/,
      'must be a container image reference, e.g. ghcr.io/owner/app:1.2.3',
    ),
  replicas: z.number().int().min(0).max(100).default(1),
  port: z.number().int().min(1).max(65535).optional(),
  /** A public host name served through the ingress. */
  host: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a DNS name, e.g. example.org')
    .optional(),
  fromPhase: phase.default(1),
  /** Persistent storage: hot (node NVMe) or warm (block volume). Cold is object storage, for backups. */
  storage: z
    .strictObject({ tier: z.enum(['hot', 'warm', 'cold']), sizeGb: z.number().int().min(1).max(10240) })
    .optional(),
  backup: z
    .union([
      z.literal('none'),
      z.strictObject({
        to: z.enum(['warm', 'cold']),
        schedule: z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron schedule'),
        keep: z.number().int().min(1).max(365),
        /** Which of the app's claims (by the name its module gives them); all of them when omitted. */
        claims: z.array(name).min(1).optional(),
      }),
    ])
    .default('none'),
  /** Run only on nodes of these pools (or "oxygen"). */
  pools: z.array(name).optional(),
  /** For an app that keeps a cache (nix-cache): how often it collects garbage and how long unused entries stay. */
  gc: z
    .strictObject({
      intervalHours: z.number().int().min(1).max(720).default(12),
      retentionDays: z.number().int().min(1).max(3650),
    })
    .optional(),
});

/** The GitOps repository Flux follows: render writes its tree; the cluster's files live under `path`. */
export const gitopsSchema = z.strictObject({
  url: z.string().regex(/^(ssh|https|file):\/\/\S+$/, 'must be an ssh://, https:// or file:// git URL'),
  branch: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'must be a git branch name')
    .default('main'),
  /** The cluster's directory in the repository; `clusters/<cluster name>` when omitted, as `flux bootstrap` does. */
  path: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/,
      'must be a relative path of lowercase names, e.g. clusters/personal-cloud',
    )
    .optional(),
});

/** cert-manager's ACME issuer (Let's Encrypt by default); without it certificates are self-signed. */
export const acmeSchema = z.strictObject({
  email: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an e-mail address'),
  server: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .default('https://acme-v02.api.letsencrypt.org/directory'),
});

export const pricesSchema = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  currency: z.literal('EUR'),
  serverTypes: z.record(z.string(), z.number().min(0)),
  volumeGbMonth: z.number().min(0),
  primaryIpv4: z.number().min(0),
  objectStorageBase: z.number().min(0),
});

export const clusterConfigSchema = z.strictObject({
  name,
  phase,
  location: z.enum(LOCATIONS),
  operator: z.strictObject({
    sshPublicKey: secretOr(sshPublicKey),
    /** The operator's own public address, for rules whose source is "operator". */
    address: secretOr(ipv4AddressOrNetwork),
  }),
  networks: z.array(networkSchema).min(1, 'needs at least one network'),
  tailscale: z.strictObject({
    enabled: z.boolean(),
    /** Tags the nodes advertise; ACLs in the tailnet refer to them. */
    tags: z.array(z.string().regex(/^tag:[a-z0-9-]+$/, 'must look like tag:name')).default([]),
  }),
  pools: z.array(poolSchema).min(1, 'needs at least one pool'),
  firewall: z.strictObject({ rules: z.array(firewallRuleSchema) }),
  storage: storageSchema,
  oxygen: oxygenSchema.optional(),
  apps: z.array(appSchema).default([]),
  gitops: gitopsSchema.optional(),
  acme: acmeSchema.optional(),
  prices: pricesSchema.partial().optional(),
});

/** The config as written in cluster.config.ts (defaults not yet applied). */
export type ClusterConfigInput = z.input<typeof clusterConfigSchema>;
/** The config after parsing: every default applied. */
export type ClusterConfig = z.output<typeof clusterConfigSchema>;
export type PoolConfig = ClusterConfig['pools'][number];
export type VolumeConfig = PoolConfig['volumes'][number];
export type NetworkConfig = ClusterConfig['networks'][number];
export type SubnetConfig = NetworkConfig['subnets'][number];
export type FirewallRuleConfig = ClusterConfig['firewall']['rules'][number];
export type AppConfig = ClusterConfig['apps'][number];
export type PerPhaseCount = z.output<typeof perPhaseCount>;

/** Typed identity for cluster.config.ts: the editor checks the shape; loadConfig validates everything. */
export function defineCluster(config: ClusterConfigInput): ClusterConfigInput {
  return config;
}

export function countInPhase(count: PerPhaseCount, phase: Phase): number {
  return typeof count === 'number' ? count : count[phase];
}
