// IPv4 arithmetic on 32-bit integers: enough to place subnets and hosts, and to prove that
// addresses never collide. Pure; throws only on malformed input, which the schema rejects first.

export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p));
}

export function ipToInt(ip: string): number {
  if (!isIpv4(ip)) throw new Error(`not an IPv4 address: ${ip}`);
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/p`; `strict` also demands that no host bits are set (10.0.1.0/24, not 10.0.1.5/24). */
export function parseCidr(text: string, strict = true): Cidr | undefined {
  const [ip, prefixText, ...rest] = text.split('/');
  if (rest.length || !ip || !prefixText || !/^\d{1,2}$/.test(prefixText) || !isIpv4(ip)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const addr = ipToInt(ip);
  const base = addr - (addr % size({ base: 0, prefix }));
  if (strict && base !== addr) return undefined;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${intToIp(cidr.base)}/${cidr.prefix}`;
}

export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function last(cidr: Cidr): number {
  return cidr.base + size(cidr) - 1;
}

export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && last(inner) <= last(outer);
}

export function containsIp(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.base && ip <= last(cidr);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= last(b) && b.base <= last(a);
}

/** RFC 1918: where private networks may live. */
export const PRIVATE_IPV4_RANGES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (c) => parseCidr(c)!,
);
