// cluster:cost — the monthly bill of every phase. With HCLOUD_TOKEN it prices with Hetzner's
// live /pricing; otherwise with the dated table (the seed's, or the config's overrides).
// It lives here, not in the pure cluster library, because live prices need the API client.
import { mkdir, writeFile } from 'node:fs/promises';
import { costReport, formatCostReport, loadClusterConfig, mergePrices } from '@personal-cloud/cluster';
import * as pricing from '../hcloud/resources/pricing';
import { withHcloud } from '../hcloud-session';
import { livePriceTable } from '../pricing/live-prices';
import { worldKind } from '../world/world';

export async function run(): Promise<void> {
  const config = await loadClusterConfig();
  let prices = mergePrices(config.prices);
  if (worldKind() === 'hetzner') {
    const live = await withHcloud(process.env, (client) => pricing.get(client));
    prices = livePriceTable(live, config.location, prices, new Date().toISOString().slice(0, 10));
  }
  const report = costReport(config, prices);
  await mkdir('dist/cluster', { recursive: true });
  await writeFile('dist/cluster/cost.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatCostReport(report, config.phase));
}
