// Prices, in the shape of Hetzner's get_pricing response, computed from the catalogue.
import { CURRENCY, LOCATIONS, PRICES, SERVER_TYPES, VAT_RATE, hourly, price } from '../catalogue';
import type { Handler } from '../http/handler';
import type { Router } from '../http/router';
import { serverTypePrices } from './server-types';

export function pricing() {
  return {
    currency: CURRENCY,
    vat_rate: VAT_RATE.toFixed(2),
    primary_ips: (['ipv4', 'ipv6'] as const).map((type) => {
      const monthly = type === 'ipv4' ? PRICES.primaryIpv4Monthly : PRICES.primaryIpv6Monthly;
      return {
        type,
        prices: LOCATIONS.map((l) => ({
          location: l.name,
          price_hourly: price(hourly(monthly)),
          price_monthly: price(monthly),
        })),
      };
    }),
    floating_ips: (['ipv4', 'ipv6'] as const).map((type) => ({
      type,
      prices: LOCATIONS.map((l) => ({
        location: l.name,
        price_monthly: price(type === 'ipv4' ? PRICES.floatingIpv4Monthly : PRICES.floatingIpv6Monthly),
      })),
    })),
    image: { price_per_gb_month: price(PRICES.imageGbMonth) },
    volume: { price_per_gb_month: price(PRICES.volumeGbMonth) },
    server_backup: { percentage: PRICES.serverBackupPercentage },
    server_types: SERVER_TYPES.map((t) => ({ id: t.id, name: t.name, prices: serverTypePrices(t) })),
    load_balancer_types: [],
    floating_ip: { price_monthly: price(PRICES.floatingIpv4Monthly) },
  };
}

const get: Handler = () => ({ status: 200, body: { pricing: pricing() } });

export function pricingRoutes(router: Router<Handler>): void {
  router.get('/pricing', get);
}
