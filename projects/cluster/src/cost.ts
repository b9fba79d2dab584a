// The monthly bill of each phase, one line per item. Money is summed in cents so that
// 3 × 3.29 is 9.87 and not 9.870000000000001.
import { PHASES, type ClusterConfig, type Phase } from './config-schema';
import { nodesInPhase } from './nodes';
import type { PriceTable } from './prices';

export type CostKind = 'server' | 'volume' | 'primary-ipv4' | 'object-storage';

export interface CostLine {
  item: string;
  kind: CostKind;
  count: number;
  /** null when the price table has no price for it (see `unpriced`). */
  unit: number | null;
  monthly: number | null;
}

export interface PhaseCost {
  phase: Phase;
  monthly: number;
  /** Servers plus volumes (what the seed's phase prices count) and everything else. */
  subtotals: { serversAndVolumes: number; other: number };
  lines: CostLine[];
  /** Server types the price table does not know: their lines have no price, and the totals leave them out. */
  unpriced: string[];
}

export interface CostReport {
  currency: 'EUR';
  priceDate: string;
  priceSource: string;
  phases: PhaseCost[];
}

const cents = (euros: number) => Math.round(euros * 100);
const euros = (cents: number) => cents / 100;

export function phaseCost(config: ClusterConfig, prices: PriceTable, phase: Phase): PhaseCost {
  const nodes = nodesInPhase(config, phase);
  const lines: CostLine[] = [];
  const add = (item: string, kind: CostKind, count: number, unit: number | undefined) => {
    if (count > 0)
      lines.push({
        item,
        kind,
        count,
        unit: unit ?? null,
        monthly: unit === undefined ? null : euros(count * cents(unit)),
      });
  };
  const tally = <K>(keys: K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());

  for (const [type, count] of tally(nodes.map((n) => n.serverType))) {
    const roles = [...new Set(nodes.filter((n) => n.serverType === type).map((n) => n.role))].join(', ');
    add(`${type.toUpperCase()} server (${roles})`, 'server', count, prices.serverTypes[type]);
  }
  for (const [size, count] of tally(nodes.flatMap((n) => n.volumes.map((v) => v.sizeGb))))
    add(`Volume ${size} GB`, 'volume', count, euros(cents(size * prices.volumeGbMonth)));
  add('Primary IPv4 address', 'primary-ipv4', nodes.length, prices.primaryIpv4);
  if (phase >= config.storage.cold.fromPhase)
    add('Object storage, base (1 TB)', 'object-storage', 1, prices.objectStorageBase);

  const sum = (kinds: CostKind[]) =>
    euros(lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + cents(l.monthly ?? 0), 0));
  const serversAndVolumes = sum(['server', 'volume']);
  const other = sum(['primary-ipv4', 'object-storage']);
  const unpriced = [...new Set(nodes.map((n) => n.serverType))].filter(
    (type) => prices.serverTypes[type] === undefined,
  );
  return {
    phase,
    monthly: euros(cents(serversAndVolumes) + cents(other)),
    subtotals: { serversAndVolumes, other },
    lines,
    unpriced,
  };
}

export function costReport(config: ClusterConfig, prices: PriceTable): CostReport {
  return {
    currency: 'EUR',
    priceDate: prices.date,
    priceSource: prices.source,
    phases: PHASES.map((phase) => phaseCost(config, prices, phase)),
  };
}

/** The report as a terminal table: one block per phase, the current phase marked. */
export function formatCostReport(report: CostReport, current: number): string {
  const money = (n: number) => `€${n.toFixed(2)}`.padStart(9);
  const out = [
    `Monthly cost by phase (${report.currency}, excl. VAT; prices of ${report.priceDate}: ${report.priceSource})`,
  ];
  for (const p of report.phases) {
    out.push('', `Phase ${p.phase}${p.phase === current ? ' (current)' : ''}`);
    for (const l of p.lines)
      out.push(
        `  ${l.item.padEnd(40)} ${String(l.count).padStart(3)} × ${(l.unit === null ? '?' : money(l.unit).trim()).padStart(8)} = ${l.monthly === null ? '        ?' : money(l.monthly)}`,
      );
    if (p.unpriced.length)
      out.push(
        `  no price for ${p.unpriced.join(', ')}: the totals leave ${p.unpriced.length === 1 ? 'it' : 'them'} out; add prices.serverTypes in the config`,
      );
    out.push(`  ${'servers + volumes'.padEnd(55)} ${money(p.subtotals.serversAndVolumes)}`);
    out.push(`  ${'total'.padEnd(55)} ${money(p.monthly)}`);
  }
  return out.join('\n');
}
