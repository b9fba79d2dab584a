import { describe, expect, it } from 'vitest';
import {
  allocateIpv6Network,
  allocatePublicIpv4,
  firstFreeHost,
  firstFreeSubnet,
  formatIpv4,
  ipv6Network,
  ipv6NetworkIndex,
  networkGateway,
  parseCidr,
  parseIpv4,
} from './addresses';

describe('addresses', () => {
  it('reads and writes IPv4 addresses and networks', () => {
    expect(parseIpv4('10.0.1.2')).toBe(0x0a000102);
    expect(formatIpv4(0xcb007101)).toBe('203.0.113.1');
    expect(parseIpv4('10.0.1')).toBeUndefined();
    expect(parseIpv4('10.0.1.256')).toBeUndefined();
    expect(parseIpv4('10.0.01.1')).toBeUndefined();
    expect(parseCidr('10.0.0.0/16')).toEqual({ base: 0x0a000000, prefix: 16 });
    expect(parseCidr('10.0.0.1/16')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
  });

  it('hands out public IPv4 from 203.0.113.0/24, then 198.51.100.0/24, lowest free first', () => {
    expect(allocatePublicIpv4(new Set())).toBe('203.0.113.1');
    expect(allocatePublicIpv4(new Set(['203.0.113.1', '203.0.113.3']))).toBe('203.0.113.2');
    const full = new Set(Array.from({ length: 254 }, (_, i) => `203.0.113.${i + 1}`));
    expect(allocatePublicIpv4(full)).toBe('198.51.100.1');
  });

  it('hands out one /64 per server from 2001:db8::/32', () => {
    expect(allocateIpv6Network(new Set())).toBe('2001:db8:0:1::/64');
    expect(allocateIpv6Network(new Set(['2001:db8:0:1::/64']))).toBe('2001:db8:0:2::/64');
    expect(ipv6Network(0x10000)).toBe('2001:db8:1:0::/64');
    expect(ipv6NetworkIndex('2001:db8:1:0::/64')).toBe(0x10000);
  });

  it('gives servers the first free host after the gateway', () => {
    const gateway = networkGateway('10.0.0.0/16');
    expect(gateway).toBe('10.0.0.1');
    expect(firstFreeHost(parseCidr('10.0.0.0/24')!, gateway, new Set())).toBe('10.0.0.2');
    expect(firstFreeHost(parseCidr('10.0.0.0/24')!, gateway, new Set(['10.0.0.2']))).toBe('10.0.0.3');
    expect(firstFreeHost(parseCidr('10.0.1.0/24')!, gateway, new Set())).toBe('10.0.1.1');
    const taken = new Set(Array.from({ length: 253 }, (_, i) => `10.0.0.${i + 2}`));
    expect(firstFreeHost(parseCidr('10.0.0.0/24')!, gateway, taken)).toBeUndefined();
  });

  it('finds the first free /24 of a network', () => {
    const range = parseCidr('10.0.0.0/16')!;
    expect(firstFreeSubnet(range, [])).toEqual(parseCidr('10.0.0.0/24'));
    expect(firstFreeSubnet(range, [parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/25')!])).toEqual(
      parseCidr('10.0.2.0/24'),
    );
  });
});
