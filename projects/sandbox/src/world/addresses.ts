// Address arithmetic and allocation. Public addresses come from the documentation ranges (RFC 5737,
// RFC 3849) so nothing the sandbox hands out can ever be mistaken for a real host.

// IPv4 arithmetic is the cluster model's (one implementation for config checks and the sandbox);
// what is here is the sandbox's own: handing addresses out.
import {
  containsCidr,
  containsIp,
  formatCidr,
  intToIp,
  ipToInt,
  isIpv4,
  overlaps,
  parseCidr,
  size,
  type Cidr,
} from '@personal-cloud/cluster';

export { containsCidr, containsIp, formatCidr, overlaps, parseCidr, size, type Cidr };
export const formatIpv4 = intToIp;

/** The address as a number, or undefined when it is not a dotted IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  return isIpv4(text) ? ipToInt(text) : undefined;
}

/**
 * Public IPv4 pools, in order: the RFC 5737 documentation ranges, then the RFC 2544 benchmarking
 * range so that thousands of servers still get an address no real host has.
 */
export const PUBLIC_IPV4_POOLS = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '198.18.0.0/15'].map(
  (c) => parseCidr(c)!,
);

/** The lowest free public IPv4 address, or undefined when every pool is used up. */
export function allocatePublicIpv4(taken: ReadonlySet<string>): string | undefined {
  for (const pool of PUBLIC_IPV4_POOLS) {
    // Skip the network and broadcast addresses.
    for (let host = pool.base + 1; host < pool.base + size(pool) - 1; host++) {
      const ip = formatIpv4(host);
      if (!taken.has(ip)) return ip;
    }
  }
  return undefined;
}

/** The n-th /64 of 2001:db8::/32 (RFC 3849), as Hetzner writes a server's IPv6 network. */
export function ipv6Network(index: number): string {
  const high = Math.floor(index / 0x10000);
  const low = index % 0x10000;
  return `2001:db8:${high.toString(16)}:${low.toString(16)}::/64`;
}

export function ipv6NetworkIndex(network: string): number | undefined {
  const match = /^2001:db8:([0-9a-f]{1,4}):([0-9a-f]{1,4})::\/64$/.exec(network);
  return match ? parseInt(match[1]!, 16) * 0x10000 + parseInt(match[2]!, 16) : undefined;
}

/** The lowest free /64 (index 0 is left out: 2001:db8::/64 reads like the whole range). */
export function allocateIpv6Network(taken: ReadonlySet<string>): string | undefined {
  for (let index = 1; index < 2 ** 32; index++) {
    const network = ipv6Network(index);
    if (!taken.has(network)) return network;
  }
  return undefined;
}

/** The gateway Hetzner gives every subnet of a network: the first host of the network's range. */
export function networkGateway(ipRange: string): string {
  return formatIpv4(parseCidr(ipRange)!.base + 1);
}

/**
 * The first free host of `subnet` after the network's gateway: never the subnet's own network or
 * broadcast address, never the gateway, never an address in `taken`.
 */
export function firstFreeHost(subnet: Cidr, gateway: string, taken: ReadonlySet<string>): string | undefined {
  const gatewayValue = parseIpv4(gateway)!;
  const first = Math.max(subnet.base + 1, containsIp(subnet, gatewayValue) ? gatewayValue + 1 : subnet.base + 1);
  const end = subnet.base + size(subnet) - 1;
  for (let host = first; host < end; host++) {
    const ip = formatIpv4(host);
    if (!taken.has(ip)) return ip;
  }
  return undefined;
}

/** The first /24 (or smaller range, for a small network) of `range` that overlaps none of `used`. */
export function firstFreeSubnet(range: Cidr, used: readonly Cidr[], prefix = 24): Cidr | undefined {
  const wanted = Math.max(prefix, range.prefix);
  const step = 2 ** (32 - wanted);
  for (let base = range.base; base < range.base + size(range); base += step) {
    const candidate = { base, prefix: wanted };
    if (!used.some((u) => overlaps(u, candidate))) return candidate;
  }
  return undefined;
}

/** A locally administered MAC address that is stable for a server on a network. */
export function macAddress(serverId: number, networkId: number): string {
  const bytes = [0x86, 0x00, (networkId >> 8) & 255, networkId & 255, (serverId >> 8) & 255, serverId & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
