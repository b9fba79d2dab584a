import { describe, expect, it } from 'vitest';
import { SEED_PRICES } from '@personal-cloud/cluster';
import type { Pricing } from '../src/hcloud/resources/pricing';
import { livePriceTable } from '../src/pricing/live-prices';

const price = (net: string) => ({ net, gross: String(Number(net) * 1.19) });

describe('live prices', () => {
  it('takes net monthly prices for the config’s location from /pricing', () => {
    const pricing = {
      currency: 'EUR',
      vat_rate: '19.00',
      primary_ips: [
        {
          type: 'ipv4',
          prices: [
            { location: 'nbg1', price_hourly: price('0.001'), price_monthly: price('0.60') },
            { location: 'fsn1', price_hourly: price('0.001'), price_monthly: price('0.55') },
          ],
        },
      ],
      volume: { price_per_gb_month: price('0.044') },
      server_types: [
        {
          id: 1,
          name: 'cpx11',
          prices: [
            {
              location: 'fsn1',
              price_hourly: price('0.01'),
              price_monthly: price('4.35'),
              included_traffic: 0,
              price_per_tb_traffic: price('1'),
            },
          ],
        },
      ],
    } as unknown as Pricing;
    const table = livePriceTable(pricing, 'fsn1', SEED_PRICES, '2026-11-25');
    expect(table).toMatchObject({
      date: '2026-11-25',
      volumeGbMonth: 0.044,
      primaryIpv4: 0.55,
      serverTypes: { cpx11: 4.35, ccx23: 14.62 },
    });
    expect(table.source).toBe('Hetzner /pricing for fsn1 (EUR, net)');
  });
});
