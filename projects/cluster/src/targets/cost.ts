// cluster:cost — the monthly bill of every phase, printed and written to dist/cluster/cost.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { costReport, formatCostReport } from '../cost';
import { loadClusterConfig } from '../load-config';
import { mergePrices } from '../prices';

export async function run(): Promise<void> {
  const config = await loadClusterConfig();
  const report = costReport(config, mergePrices(config.prices));
  await mkdir('dist/cluster', { recursive: true });
  await writeFile('dist/cluster/cost.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatCostReport(report, config.phase));
}
