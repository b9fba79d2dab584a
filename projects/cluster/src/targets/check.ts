// cluster:check — the config against every rule, for every phase, before any layer runs.
import { PHASES } from '../config-schema';
import { loadClusterConfig, configPath } from '../load-config';
import { nodesInPhase } from '../nodes';

export async function run(): Promise<void> {
  const config = await loadClusterConfig();
  const sizes = PHASES.map((phase) => `phase ${phase}: ${nodesInPhase(config, phase).length} servers`);
  console.log(`${configPath()} is valid (${sizes.join(', ')}; current phase ${config.phase}).`);
}
