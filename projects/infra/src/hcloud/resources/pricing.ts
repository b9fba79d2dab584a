import type { HcloudClient } from '../client';

/** An amount in the pricing currency, as decimal strings (the API never rounds them into floats). */
export interface Price {
  net: string;
  gross: string;
}

/** The price of a server type or load balancer type in one location. */
export interface LocationPrice {
  location: string;
  price_hourly: Price;
  price_monthly: Price;
  /** Bytes of traffic a month included. */
  included_traffic: number;
  price_per_tb_traffic: Price;
}

/** get_pricing: every price of the project, in `currency`. */
export interface Pricing {
  currency: string;
  vat_rate: string;
  primary_ips: Array<{
    type: 'ipv4' | 'ipv6';
    prices: Array<{ location: string; price_hourly: Price; price_monthly: Price }>;
  }>;
  floating_ips: Array<{ type: 'ipv4' | 'ipv6'; prices: Array<{ location: string; price_monthly: Price }> }>;
  floating_ip: { price_monthly: Price };
  image: { price_per_gb_month: Price };
  volume: { price_per_gb_month: Price };
  server_backup: { percentage: string };
  server_types: Array<{ id: number; name: string; prices: LocationPrice[] }>;
  load_balancer_types: Array<{ id: number; name: string; prices: LocationPrice[] }>;
}

export async function get(client: HcloudClient): Promise<Pricing> {
  return (await client.request<{ pricing: Pricing }>('GET', '/pricing')).pricing;
}
