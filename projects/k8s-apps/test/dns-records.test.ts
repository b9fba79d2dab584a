// The apps' DNS records from the vault's addresses, and which of them a resolver lacks.
import { describe, expect, it } from 'vitest';
import { dnsRecords, formatRecords, missingRecords, serverIpv6 } from '../src/dns/dns-records';
import { shippedConfig } from './fixtures';

/** Phase 1: one worker, running everything. */
const phaseOne = () => ({ ...shippedConfig(), phase: 1 as const });
const vars = {
  CLUSTER: { WORKER_1: { public_ipv4: '203.0.113.20', public_ipv6: '2001:db8:0:20::/64', ip: '10.0.1.20' } },
};

describe('dns records', () => {
  it("points every active app's host at each worker's public addresses", () => {
    const { records, unknown } = dnsRecords(phaseOne(), vars);
    expect(unknown).toEqual([]);
    expect(formatRecords(records)).toEqual([
      'cache.example.org. 300 IN A 203.0.113.20    ; worker-1',
      'cache.example.org. 300 IN AAAA 2001:db8:0:20::1    ; worker-1',
      'example.org. 300 IN A 203.0.113.20    ; worker-1',
      'example.org. 300 IN AAAA 2001:db8:0:20::1    ; worker-1',
    ]);
  });

  it('names the workers the vault has no address for', () => {
    expect(dnsRecords(phaseOne(), {})).toEqual({ records: [], unknown: ['worker-1'] });
  });

  it('takes the server address of a Hetzner /64', () => {
    expect(serverIpv6('2a01:4f8:c17:1234::/64')).toBe('2a01:4f8:c17:1234::1');
  });

  it('lists the records the resolver does not return, once per name and type asked', async () => {
    const asked: string[] = [];
    const { records } = dnsRecords(phaseOne(), vars);
    const missing = await missingRecords(records, async (host, type) => {
      asked.push(`${host} ${type}`);
      if (host === 'example.org' && type === 'A') return ['203.0.113.20'];
      if (host === 'cache.example.org') throw new Error('ENOTFOUND');
      return ['2001:db8::dead'];
    });
    expect(missing.map((r) => `${r.host} ${r.type}`)).toEqual([
      'cache.example.org A',
      'cache.example.org AAAA',
      'example.org AAAA',
    ]);
    expect(asked).toHaveLength(4);
  });
});
