// Hetzner's /pricing, turned into the cost model's price table for one location. Net prices:
// the seed's figures exclude VAT, and so does the report.
import type { PriceTable } from '@personal-cloud/cluster';
import type { Pricing } from '../hcloud/resources/pricing';

export function livePriceTable(pricing: Pricing, location: string, base: PriceTable, today: string): PriceTable {
  const net = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const serverTypes = { ...base.serverTypes };
  for (const type of pricing.server_types) {
    const monthly = net(type.prices.find((p) => p.location === location)?.price_monthly.net);
    if (monthly !== undefined) serverTypes[type.name] = monthly;
  }
  const ipv4 = pricing.primary_ips.find((p) => p.type === 'ipv4')?.prices.find((p) => p.location === location);
  return {
    ...base,
    date: today,
    source: `Hetzner /pricing for ${location} (${pricing.currency}, net)`,
    serverTypes,
    volumeGbMonth: net(pricing.volume.price_per_gb_month.net) ?? base.volumeGbMonth,
    primaryIpv4: net(ipv4?.price_monthly.net) ?? base.primaryIpv4,
  };
}
