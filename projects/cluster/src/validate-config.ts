// Parsing plus the rules that relate fields to each other. Everything here is pure and runs
// before any I/O, so a bad config costs milliseconds and names every field at fault.
import type { z } from 'zod';
import { ConfigError, describeValue, formatPath, isThenable, type ConfigProblem } from './config-error';
import { clusterConfigSchema, countInPhase, PHASES, type ClusterConfig, type PoolConfig } from './config-schema';
import { isSoldIn, LIMITS, LOCATION_ZONES, SERVER_TYPE_OFFERS, volumesPerServerProblem } from './hetzner-catalog';
import { CloudError } from './errors';
import { containsCidr, containsIp, intToIp, last, overlaps, parseCidr, PRIVATE_IPV4_RANGES, type Cidr } from './ipv4';
import { defaultHostOffset, hetznerName, poolNodeName } from './naming';

/** Parses and validates a config; throws one ConfigError naming every problem. */
export function parseClusterConfig(input: unknown, source = 'cluster.config.ts'): ClusterConfig {
  if (isThenable(input))
    throw new ConfigError(source, [
      {
        path: '',
        message:
          'is a Promise; export the config object itself (export default defineCluster({...})), not a promise or the result of an async function',
      },
    ]);
  let parsed: ReturnType<typeof clusterConfigSchema.safeParse>;
  try {
    parsed = clusterConfigSchema.safeParse(input, { reportInput: true });
  } catch (error) {
    // Only the config's own code runs while parsing: a getter or a Proxy trap that throws.
    throw new CloudError(
      `${source} could not be read: reading its default export threw ${(error as Error)?.name ?? 'an error'} "${(error as Error)?.message ?? String(error)}".`,
    );
  }
  if (!parsed.success)
    throw new ConfigError(
      source,
      parsed.error.issues.map((issue) => describeIssue(issue)),
    );
  const problems = crossFieldProblems(parsed.data);
  if (problems.length) throw new ConfigError(source, problems);
  return parsed.data;
}

/** What zod calls a type, as the message names it. */
const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  int: 'a whole number',
};

/** zod's own words ("Too small: expected number to be >=1") stand in only where the schema gave none. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big))/;

/** One zod issue as one problem: the field, what was given and what is allowed. The one place zod's wording is replaced. */
function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): ConfigProblem {
  const at = [...prefix, ...issue.path];
  const path = formatPath(at);
  const input = (issue as { input?: unknown }).input;
  const got = `got ${describeValue(input)}`;
  switch (issue.code) {
    case 'invalid_value': {
      const allowed = `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      return {
        path,
        message: input === undefined ? `is required; ${allowed}` : `${describeValue(input)} is not allowed; ${allowed}`,
      };
    }
    case 'unrecognized_keys':
      return { path, message: `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` };
    case 'invalid_type': {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (input === undefined) return { path, message: `is required (${expected})` };
      return { path, message: `must be ${expected}, ${got}` };
    }
    case 'invalid_key': {
      // A record key is the field here: say which key and what keys may look like.
      const inner = issue.issues[0];
      return {
        path,
        message: `${describeValue(input)} is not a valid key: ${inner ? describeIssue(inner as z.core.$ZodIssue).message : issue.message}`,
      };
    }
    case 'invalid_union': {
      // Each branch of a union complains; the branch that got deepest into the value is the one the user meant.
      const branches = issue.errors.filter((b) => b.length);
      const deepest = branches.flat().sort((a, b) => b.path.length - a.path.length)[0];
      return deepest ? describeIssue(deepest, at) : { path, message: issue.message };
    }
    case 'too_small':
    case 'too_big': {
      if (!ZOD_DEFAULT_MESSAGE.test(issue.message)) return { path, message: issue.message };
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const word =
        issue.code === 'too_small'
          ? issue.inclusive
            ? 'at least'
            : 'more than'
          : issue.inclusive
            ? 'at most'
            : 'less than';
      const unit =
        issue.origin === 'string' ? ' characters' : issue.origin === 'array' || issue.origin === 'set' ? ' items' : '';
      const given = typeof input === 'string' || Array.isArray(input) ? `got ${input.length}` : got;
      return { path, message: `must be ${word} ${String(bound)}${unit}, ${given}` };
    }
    default:
      return {
        path,
        message: ZOD_DEFAULT_MESSAGE.test(issue.message)
          ? `${issue.message.replace(/^Invalid input: /, '')}, ${got}`
          : issue.message,
      };
  }
}

/** Every cross-field rule, in the order a reader meets the fields. */
export function crossFieldProblems(config: ClusterConfig): ConfigProblem[] {
  return [
    ...nameProblems(config),
    ...networkProblems(config),
    ...poolProblems(config),
    ...phaseProblems(config),
    ...placementProblems(config),
    ...firewallProblems(config),
    ...oxygenProblems(config),
    ...appProblems(config),
  ];
}

/** The largest count a pool reaches in any phase: addresses and names are reserved for it. */
export function maxCount(pool: PoolConfig): number {
  return Math.max(...PHASES.map((phase) => countInPhase(pool.count, phase)));
}

function duplicates<T>(
  items: T[],
  key: (item: T) => string,
  path: (i: number) => string,
  what: string,
): ConfigProblem[] {
  const seen = new Map<string, number>();
  return items.flatMap((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, i);
      return [];
    }
    return [{ path: path(i), message: `duplicate ${what} "${k}" (also at ${path(first)}); ${what}s must be unique` }];
  });
}

function nameProblems(config: ClusterConfig): ConfigProblem[] {
  const problems = [
    ...duplicates(
      config.pools,
      (p) => p.name,
      (i) => `pools[${i}].name`,
      'pool name',
    ),
    ...duplicates(
      config.networks,
      (n) => n.name,
      (i) => `networks[${i}].name`,
      'network name',
    ),
    ...duplicates(
      config.firewall.rules,
      (r) => r.name,
      (i) => `firewall.rules[${i}].name`,
      'firewall rule name',
    ),
    ...duplicates(
      config.apps,
      (a) => a.name,
      (i) => `apps[${i}].name`,
      'app name',
    ),
  ];
  // The longest name Hetzner will see for each pool must fit its 63-character limit.
  config.pools.forEach((pool, i) => {
    const longest = hetznerName(config.name, poolNodeName(pool.name, Math.max(maxCount(pool), 1)));
    const volume = pool.volumes.reduce((a, v) => (v.name.length > a.length ? v.name : a), '');
    const full = volume ? `${longest}-${volume}` : longest;
    if (full.length > LIMITS.resourceNameMax)
      problems.push({
        path: `pools[${i}].name`,
        message: `makes Hetzner names like "${full}" (${full.length} characters); with the cluster name they must fit in ${LIMITS.resourceNameMax}`,
      });
  });
  return problems;
}

function subnetIndex(config: ClusterConfig) {
  return new Map(
    config.networks.flatMap((network, ni) =>
      network.subnets.map(
        (subnet, si) =>
          [
            subnet.name,
            { network, subnet, cidr: parseCidr(subnet.ipRange)!, at: `networks[${ni}].subnets[${si}]` },
          ] as const,
      ),
    ),
  );
}

function networkProblems(config: ClusterConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenSubnets = new Map<string, string>();
  config.networks.forEach((network, ni) => {
    const range = parseCidr(network.ipRange)!;
    if (!PRIVATE_IPV4_RANGES.some((p) => containsCidr(p, range)))
      problems.push({
        path: `networks[${ni}].ipRange`,
        message: `${network.ipRange} is not private; allowed: inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
      });
    if (range.prefix > 24)
      problems.push({
        path: `networks[${ni}].ipRange`,
        message: `${network.ipRange} is too small; a Hetzner network needs at least a /24`,
      });
    const subnets: { cidr: Cidr; at: string; text: string }[] = [];
    network.subnets.forEach((subnet, si) => {
      const at = `networks[${ni}].subnets[${si}]`;
      const cidr = parseCidr(subnet.ipRange)!;
      if (!containsCidr(range, cidr))
        problems.push({
          path: `${at}.ipRange`,
          message: `${subnet.ipRange} lies outside its network ${network.ipRange}; a subnet must be inside the network's ipRange`,
        });
      if (cidr.prefix > 30)
        problems.push({ path: `${at}.ipRange`, message: `${subnet.ipRange} is too small; allowed: /30 or larger` });
      for (const other of subnets)
        if (overlaps(other.cidr, cidr))
          problems.push({
            path: `${at}.ipRange`,
            message: `${subnet.ipRange} overlaps ${other.text} at ${other.at}; subnets must not overlap`,
          });
      subnets.push({ cidr, at, text: subnet.ipRange });
      if (seenSubnets.has(subnet.name))
        problems.push({
          path: `${at}.name`,
          message: `duplicate subnet name "${subnet.name}" (also at ${seenSubnets.get(subnet.name)}); subnet names must be unique`,
        });
      else seenSubnets.set(subnet.name, `${at}.name`);
    });
    config.networks.slice(0, ni).forEach((other, oi) => {
      if (overlaps(parseCidr(other.ipRange)!, range))
        problems.push({
          path: `networks[${ni}].ipRange`,
          message: `${network.ipRange} overlaps networks[${oi}] (${other.ipRange}); networks must not overlap so nodes can route between them`,
        });
    });
  });
  return problems;
}

function poolProblems(config: ClusterConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const subnets = subnetIndex(config);
  const taken: { from: number; to: number; pool: string; subnet: string }[] = [];
  config.pools.forEach((pool, i) => {
    const at = `pools[${i}]`;
    const home = subnets.get(pool.subnet);
    if (!home) {
      problems.push({
        path: `${at}.subnet`,
        message: `"${pool.subnet}" is not a subnet; allowed: ${[...subnets.keys()].join(', ')}`,
      });
      return;
    }
    const location = pool.location ?? config.location;
    if (LOCATION_ZONES[location] !== home.subnet.zone)
      problems.push({
        path: `${at}.location`,
        message: `${location} is in zone ${LOCATION_ZONES[location]}, but subnet ${pool.subnet} is in ${home.subnet.zone}; choose a location in ${home.subnet.zone}`,
      });
    if (!isSoldIn(pool.serverType, location))
      problems.push({
        path: `${at}.serverType`,
        message: `${pool.serverType} is not sold in ${location} (${pool.location ? `${at}.location` : 'location'}); Hetzner sells it in ${SERVER_TYPE_OFFERS[pool.serverType].locations.join(', ')}: choose one of those locations or another server type`,
      });
    const tooManyVolumes = volumesPerServerProblem(pool.volumes.length);
    if (tooManyVolumes)
      problems.push({
        path: `${at}.volumes`,
        message: `gives each server ${tooManyVolumes}: use fewer, larger volumes`,
      });
    if (pool.role === 'gpu' && maxCount(pool) > 0)
      problems.push({
        path: `${at}.count`,
        message: 'no Hetzner Cloud server type has a GPU yet; role gpu is reserved for the future: keep its count at 0',
      });
    const reserved = maxCount(pool);
    if (reserved === 0) return;
    const offset = pool.hostOffset ?? defaultHostOffset(pool.role);
    const from = home.cidr.base + offset;
    const to = from + reserved - 1;
    const gateway = parseCidr(home.network.ipRange)!.base + 1;
    if (!containsIp(home.cidr, from) || !containsIp(home.cidr, to) || to >= last(home.cidr))
      problems.push({
        path: `${at}.hostOffset`,
        message: `${reserved} nodes from offset ${offset} reach ${intToIp(to)}, outside subnet ${home.subnet.ipRange}; lower hostOffset or use a larger subnet`,
      });
    else if (from <= gateway && gateway <= to)
      problems.push({
        path: `${at}.hostOffset`,
        message: `${intToIp(from)}–${intToIp(to)} includes the network gateway ${intToIp(gateway)}; choose a hostOffset past it`,
      });
    for (const other of taken)
      if (other.subnet === pool.subnet && other.from <= to && from <= other.to)
        problems.push({
          path: `${at}.hostOffset`,
          message: `addresses ${intToIp(from)}–${intToIp(to)} overlap pool ${other.pool} (${intToIp(other.from)}–${intToIp(other.to)}); give one of them another hostOffset`,
        });
    taken.push({ from, to, pool: pool.name, subnet: pool.subnet });
    problems.push(
      ...duplicates(
        pool.volumes,
        (v) => v.name,
        (vi) => `${at}.volumes[${vi}].name`,
        'volume name',
      ),
    );
  });
  return problems;
}

/** What each phase runs, checked phase by phase: control-plane quorum, workers, network size. */
function phaseProblems(config: ClusterConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const subnets = subnetIndex(config);
  for (const phase of PHASES) {
    const counts = config.pools.map((pool) => ({ pool, n: countInPhase(pool.count, phase) }));
    const total = counts.reduce((sum, c) => sum + c.n, 0);
    const controlPlane = counts.filter((c) => c.pool.role === 'control-plane').reduce((sum, c) => sum + c.n, 0);
    const cpAt = config.pools.findIndex((p) => p.role === 'control-plane');
    const where = cpAt >= 0 ? `pools[${cpAt}].count` : 'pools';
    if (total === 0)
      problems.push({ path: 'pools', message: `phase ${phase} has no servers; every phase needs at least one` });
    else if (controlPlane === 0 && total > 1)
      problems.push({
        path: where,
        message: `phase ${phase} has ${total} servers but no control-plane node; only a single-server phase may run the control plane on its one node: use 1, 3 or 5 control-plane nodes`,
      });
    else if (controlPlane > 0 && (controlPlane % 2 === 0 || controlPlane > 7))
      problems.push({
        path: where,
        message: `phase ${phase} has ${controlPlane} control-plane nodes; etcd needs an odd quorum: allowed 1, 3, 5 or 7`,
      });
    if (phase === 4)
      counts.forEach(({ pool, n }, i) => {
        if (pool.role === 'worker' && n === 0)
          problems.push({
            path: `pools[${i}].count`,
            message: `worker pool ${pool.name} has 0 servers in phase 4, the full target; give it at least 1 or remove the pool`,
          });
      });
    const perNetwork = new Map<string, number>();
    for (const { pool, n } of counts) {
      const network = subnets.get(pool.subnet)?.network.name;
      if (network) perNetwork.set(network, (perNetwork.get(network) ?? 0) + n);
    }
    for (const [network, n] of perNetwork)
      if (n > LIMITS.serversPerNetwork)
        problems.push({
          path: 'pools',
          message: `phase ${phase} puts ${n} servers on network ${network}; Hetzner allows ${LIMITS.serversPerNetwork} per network: spread the pools over more networks`,
        });
  }
  return problems;
}

function placementProblems(config: ClusterConfig): ConfigProblem[] {
  const groups = new Map<string, { n: number; pools: string[]; at: string }>();
  config.pools.forEach((pool, i) => {
    if (!pool.placement.group || !pool.placement.spread) return;
    const g = groups.get(pool.placement.group) ?? { n: 0, pools: [], at: `pools[${i}].placement.group` };
    g.n += maxCount(pool);
    g.pools.push(pool.name);
    groups.set(pool.placement.group, g);
  });
  return [...groups].flatMap(([name, g]) =>
    g.n > LIMITS.serversPerSpreadGroup
      ? [
          {
            path: g.at,
            message: `spread placement group ${name} would hold ${g.n} servers (pools ${g.pools.join(', ')}); Hetzner allows ${LIMITS.serversPerSpreadGroup}: remove placement.group so each pool splits into groups of ${LIMITS.serversPerSpreadGroup}`,
          },
        ]
      : [],
  );
}

function firewallProblems(config: ClusterConfig): ConfigProblem[] {
  const roles = new Set(config.pools.map((p) => p.role));
  return config.firewall.rules.flatMap((rule, i): ConfigProblem[] => {
    const at = `firewall.rules[${i}]`;
    const out: ConfigProblem[] = [];
    const ported = rule.protocol === 'tcp' || rule.protocol === 'udp';
    if (ported && rule.port === undefined)
      out.push({ path: `${at}.port`, message: `a ${rule.protocol} rule needs a port or range` });
    if (!ported && rule.port !== undefined)
      out.push({ path: `${at}.port`, message: `${rule.protocol} has no ports; remove port` });
    if (typeof rule.port === 'string') {
      const [from, to] = rule.port.split('-').map(Number) as [number, number];
      if (from < 1 || to > 65535 || from >= to)
        out.push({ path: `${at}.port`, message: `range ${rule.port} must go upwards within 1–65535` });
    }
    if (rule.from.includes('tailscale') && !config.tailscale.enabled)
      out.push({
        path: `${at}.from`,
        message: 'uses source "tailscale", but tailscale.enabled is false: enable Tailscale or choose another source',
      });
    rule.roles?.forEach((role, ri) => {
      if (!roles.has(role))
        out.push({
          path: `${at}.roles[${ri}]`,
          message: `no pool has role ${role}; allowed: ${[...roles].join(', ')}`,
        });
    });
    return out;
  });
}

function oxygenProblems(config: ClusterConfig): ConfigProblem[] {
  const oxygen = config.oxygen;
  if (!oxygen?.enabled) return [];
  const out: ConfigProblem[] = [];
  if (!config.tailscale.enabled)
    out.push({
      path: 'oxygen.enabled',
      message:
        'Oxygen joins the cluster over Tailscale, but tailscale.enabled is false: enable Tailscale or disable Oxygen',
    });
  if (oxygen.builder.managedBy === 'kubernetes' && !oxygen.roles.includes('worker'))
    out.push({
      path: 'oxygen.builder.managedBy',
      message:
        'is "kubernetes", but Kubernetes can run the builder only on a node and oxygen.roles lacks worker: add worker or use "systemd"',
    });
  return out;
}

function appProblems(config: ClusterConfig): ConfigProblem[] {
  const pools = new Set([
    ...config.pools.map((p) => p.name),
    ...(config.oxygen?.enabled ? [config.oxygen.hostname] : []),
  ]);
  return config.apps.flatMap((app, i): ConfigProblem[] => {
    const at = `apps[${i}]`;
    const out: ConfigProblem[] = [];
    if (app.storage?.tier === 'cold')
      out.push({
        path: `${at}.storage.tier`,
        message: 'cold is object storage for backups and archives, not a volume; allowed: hot, warm',
      });
    if (app.backup !== 'none' && app.backup.to === 'cold' && app.fromPhase < config.storage.cold.fromPhase)
      out.push({
        path: `${at}.backup.to`,
        message: `backs up to cold storage from phase ${app.fromPhase}, but storage.cold starts in phase ${config.storage.cold.fromPhase}`,
      });
    if (app.backup !== 'none' && !app.storage)
      out.push({
        path: `${at}.backup`,
        message: 'an app without storage has nothing to back up; set storage or backup: "none"',
      });
    app.pools?.forEach((pool, pi) => {
      if (!pools.has(pool))
        out.push({ path: `${at}.pools[${pi}]`, message: `"${pool}" is not a pool; allowed: ${[...pools].join(', ')}` });
    });
    return out;
  });
}
