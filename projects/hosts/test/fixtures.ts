// The seed's cloud at a phase, the vars infra would have recorded for it, and hosts.json made
// from them: what the hosts tests start from.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  nodesInPhase,
  parseClusterConfig,
  setVar,
  type ClusterConfig,
  type NodeModel,
  type Phase,
  type VarsDocument,
} from '@personal-cloud/cluster';
import { seedConfig } from '../../cluster/test/fixtures';
import { builderConfig, builderVars } from '../../builder/test/fixtures';
import type { HostsDocument } from '../src/render/hosts-document';
import { renderHosts } from '../src/render/render-hosts';
import { hostNix } from '@personal-cloud/builder';

export function configAt(phase: Phase, change: (c: ReturnType<typeof seedConfig>) => void = () => {}): ClusterConfig {
  const c = seedConfig();
  c.phase = phase;
  change(c);
  return parseClusterConfig(c);
}

/** vars.CLUSTER.<NODE> as infra records it once every server and volume exists (ids from 1 in node order). */
export function varsFor(nodes: readonly NodeModel[]): VarsDocument {
  let vars: VarsDocument = {};
  nodes.forEach((node, i) => {
    const id = i + 1;
    const base = `CLUSTER.${node.varsKey}`;
    vars = setVar(vars, `${base}.hetzner_id`, String(100 + id));
    vars = setVar(vars, `${base}.private_mac`, `86:00:00:01:00:${id.toString(16).padStart(2, '0')}`);
    vars = setVar(vars, `${base}.public_ipv4`, `203.0.113.${id}`);
    if (node.ipv6) vars = setVar(vars, `${base}.public_ipv6`, `2001:db8:${id}::/64`);
    for (const volume of node.volumes)
      vars = setVar(vars, `${base}.volumes.${volume.name}.hetzner_id`, String(500 + id));
  });
  return vars;
}

export function renderAt(
  phase: Phase,
  k3sServers: string[] = [],
  change?: (c: ReturnType<typeof seedConfig>) => void,
): HostsDocument {
  const config = configAt(phase, change);
  const nodes = nodesInPhase(config);
  const vars = varsFor(nodes);
  return renderHosts({ config, nodes, vars, hostsState: { k3sServers }, nix: hostNix(config, nodes, vars) });
}

/** hosts.json in a fresh temporary folder, as render writes it. */
export function writeHostsJson(document: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pc-hosts-')), 'hosts.json');
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

/** hosts.json of a phase whose config has Oxygen: every node carries the builder's Nix fields. */
export function renderWithBuilder(phase: Phase) {
  const config = builderConfig(phase);
  const nodes = nodesInPhase(config);
  const vars = { ...varsFor(nodes), ...builderVars() };
  const document = renderHosts({
    config,
    nodes,
    vars,
    hostsState: { k3sServers: [] },
    nix: hostNix(config, nodes, vars),
  });
  return { config, nodes, vars, document };
}
