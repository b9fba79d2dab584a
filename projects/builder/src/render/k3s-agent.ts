// Oxygen's k3s agent settings: agent only, on its Tailscale address, with the config's label and
// taint, joining through a server's private address (which the tailnet reaches through the
// Hetzner nodes' subnet routes). Written as JSON, which is YAML, so k3s reads it as its config file.
import { CloudError, type LayerConfig, type NodeModel } from '@personal-cloud/cluster';
import type { BuilderFacts } from './builder-facts';
import { OXYGEN_K3S } from './builder-settings';

export interface K3sAgentConfig {
  server: string;
  'token-file': string;
  'node-name': string;
  'node-ip': string;
  'flannel-iface': string;
  'node-label': string[];
  'node-taint': string[];
}

export function k3sAgentConfig(
  config: LayerConfig<'builder'>,
  nodes: readonly NodeModel[],
  facts: BuilderFacts,
): K3sAgentConfig {
  const oxygen = config.oxygen!;
  const server = nodes.find((n) => n.k3s.role === 'server');
  if (!server)
    throw new CloudError(
      `phase ${config.phase} has no k3s server for Oxygen to join: it needs a control-plane pool with nodes, or a worker that runs everything.`,
    );
  return {
    server: `https://${server.privateIp}:6443`,
    'token-file': OXYGEN_K3S.tokenFile,
    'node-name': oxygen.hostname,
    'node-ip': facts.oxygenTailscaleIp,
    'flannel-iface': OXYGEN_K3S.flannelIface,
    'node-label': Object.entries(oxygen.labels).map(([k, v]) => `${k}=${v}`),
    'node-taint': oxygen.taints,
  };
}
