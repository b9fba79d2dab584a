// Prices are dated data, not code: the default table is the seed's, and a config may override
// any entry (or the infra layer may supply Hetzner's live /pricing).
import type { ClusterConfig } from './config-schema';

export interface PriceTable {
  /** When these prices were true. */
  date: string;
  /** Where they come from. */
  source: string;
  currency: 'EUR';
  /** Monthly price of a server, by type, excluding VAT. */
  serverTypes: Record<string, number>;
  /** Monthly price of one GB of block volume. */
  volumeGbMonth: number;
  /** Monthly price of one primary IPv4 address. */
  primaryIpv4: number;
  /** Monthly base price of Hetzner Object Storage (includes 1 TB stored and 1 TB egress). */
  objectStorageBase: number;
}

/** The seed planning document's prices; items it leaves out use Hetzner's list prices of the same date. */
export const SEED_PRICES: PriceTable = {
  date: '2025-01-01',
  source: 'seed planning document; primary IPv4 and object storage from Hetzner list prices',
  currency: 'EUR',
  serverTypes: { cpx11: 3.29, ccx23: 14.62 },
  volumeGbMonth: 0.05,
  primaryIpv4: 0.5,
  objectStorageBase: 4.99,
};

export function mergePrices(overrides: ClusterConfig['prices'], base: PriceTable = SEED_PRICES): PriceTable {
  if (!overrides) return base;
  return {
    ...base,
    ...overrides,
    source: overrides.date ? 'cluster.config.ts prices' : base.source,
    serverTypes: { ...base.serverTypes, ...overrides.serverTypes },
  };
}
