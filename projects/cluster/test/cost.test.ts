import { describe, expect, it } from 'vitest';
import { costReport, formatCostReport, mergePrices, parseClusterConfig, SEED_PRICES } from '../src';
import { seedConfig } from './fixtures';

const report = (change: (c: ReturnType<typeof seedConfig>) => void = () => {}) => {
  const c = seedConfig();
  change(c);
  const config = parseClusterConfig(c);
  return costReport(config, mergePrices(config.prices));
};

describe('cost model', () => {
  it('reproduces the seed’s server and volume figures exactly', () => {
    const phases = report().phases.map((p) => p.subtotals.serversAndVolumes);
    expect(phases[0]).toBe(14.62);
    expect(phases[1]).toBe(24.49);
    expect(phases[3]).toBe(207.97);
  });

  it('shows the items the seed leaves out as separate lines', () => {
    const phase4 = report().phases[3]!;
    expect(phase4.lines).toEqual([
      { item: 'CPX11 server (control-plane)', kind: 'server', count: 3, unit: 3.29, monthly: 9.87 },
      { item: 'CCX23 server (worker)', kind: 'server', count: 5, unit: 14.62, monthly: 73.1 },
      { item: 'Volume 500 GB', kind: 'volume', count: 5, unit: 25, monthly: 125 },
      { item: 'Primary IPv4 address', kind: 'primary-ipv4', count: 8, unit: 0.5, monthly: 4 },
      { item: 'Object storage, base (1 TB)', kind: 'object-storage', count: 1, unit: 4.99, monthly: 4.99 },
    ]);
    expect(phase4.monthly).toBe(216.96);
    expect(phase4.monthly).toBe(phase4.subtotals.serversAndVolumes + phase4.subtotals.other);
  });

  it('is dated and in EUR', () => {
    expect(report()).toMatchObject({ currency: 'EUR', priceDate: SEED_PRICES.date });
  });

  it('uses the user’s price overrides', () => {
    const r = report((c) => (c.prices = { date: '2026-11-01', serverTypes: { ccx23: 20 } }));
    expect(r.priceDate).toBe('2026-11-01');
    expect(r.phases[0]!.subtotals.serversAndVolumes).toBe(20);
  });

  it('leaves a type it has no price for out of the totals, and says so', () => {
    const r = report((c) => (c.pools[1].serverType = 'ccx33'));
    const phase4 = r.phases[3]!;
    expect(phase4.unpriced).toEqual(['ccx33']);
    expect(phase4.lines).toContainEqual({
      item: 'CCX33 server (worker)',
      kind: 'server',
      count: 5,
      unit: null,
      monthly: null,
    });
    expect(phase4.subtotals.serversAndVolumes).toBe(9.87 + 125);
    expect(formatCostReport(r, 4)).toContain('no price for ccx33');
  });

  it('follows the phase field and pool counts', () => {
    const r = report((c) => (c.pools[1].count = { 1: 1, 2: 1, 3: 4, 4: 5 }));
    expect(r.phases[2]!.subtotals.serversAndVolumes).toBe(9.87 + 4 * 14.62);
  });
});
