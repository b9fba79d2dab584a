// cluster:render — the concrete nodes of the configured phase, and each layer's slice of the config
// (config-slices.ts), written for the layers to read.
import { mkdir, writeFile } from 'node:fs/promises';
import { SLICE_LAYERS, SLICES_DIR, sliceFile, sliceJson } from '../config-slices';
import { configFilesRead, configPath, loadClusterConfig } from '../load-config';
import { SLICE_SOURCES_FILE, sliceSourcesJson } from '../slice-sources';
import { nodesInPhase } from '../nodes';
import { hostFirewallRules } from '../firewall';

export async function run(): Promise<void> {
  const config = await loadClusterConfig();
  const nodes = nodesInPhase(config);
  await mkdir(SLICES_DIR, { recursive: true });
  for (const layer of SLICE_LAYERS) await writeFile(sliceFile(layer), sliceJson(config, layer));
  // Last: a provision trusts the slices only once this record says what they were made from.
  await writeFile(SLICE_SOURCES_FILE, sliceSourcesJson(configPath(), configFilesRead()));
  await writeFile(
    'dist/cluster/render/model.json',
    `${JSON.stringify({ cluster: config.name, phase: config.phase, nodes, hostFirewall: hostFirewallRules(config) }, null, 2)}\n`,
  );
  console.log(`cluster ${config.name}, phase ${config.phase}: ${nodes.length} servers`);
  for (const n of nodes)
    console.log(
      `  ${n.name.padEnd(12)} ${n.serverType.padEnd(6)} ${n.location.padEnd(5)} ${n.privateIp.padEnd(12)} k3s ${n.k3s.role}${n.volumes.length ? `  volumes ${n.volumes.map((v) => `${v.name}:${v.sizeGb}GB`).join(' ')}` : ''}`,
    );
}
