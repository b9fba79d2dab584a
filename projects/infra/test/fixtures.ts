import {
  desiredResources,
  parseClusterConfig,
  type ClusterConfig,
  type DesiredResource,
} from '@personal-cloud/cluster';
import type { Observed } from '../src/reconcile/observed';
import { seedConfig } from '../../cluster/test/fixtures';

export { seedConfig };

export const SECRETS = {
  sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI op',
  operatorAddress: '198.51.100.7',
};

export function configFor(change: (c: ReturnType<typeof seedConfig>) => void = () => {}): ClusterConfig {
  const c = seedConfig();
  change(c);
  return parseClusterConfig(c);
}

export function desiredFor(
  phase: 1 | 2 | 3 | 4 = 4,
  change?: (c: ReturnType<typeof seedConfig>) => void,
): DesiredResource[] {
  return desiredResources(configFor(change), SECRETS, phase);
}

/**
 * What the API would report after applying `desired` perfectly: the observed twin of each
 * resource, IDs in order. Tests then bend it to model drift.
 */
export function observedTwin(desired: DesiredResource[]): Observed[] {
  let id = 0;
  return desired.map((d): Observed => {
    id += 1;
    const base = { id, name: d.name, labels: { ...d.labels } };
    switch (d.type) {
      case 'ssh_key':
        return { ...base, type: 'ssh_key', publicKey: d.publicKey };
      case 'network':
        return {
          ...base,
          type: 'network',
          ipRange: d.ipRange,
          subnets: d.subnets.map((s) => ({ ...s })),
          protectDelete: false,
        };
      case 'firewall':
        return {
          ...base,
          type: 'firewall',
          rules: d.rules.map((r) => ({ ...r })),
          labelSelectors: [d.labelSelector],
          servers: [],
        };
      case 'placement_group':
        return { ...base, type: 'placement_group', groupType: d.groupType };
      case 'primary_ip':
        return {
          ...base,
          type: 'primary_ip',
          location: d.location,
          ip: `203.0.113.${id}`,
          assignee: d.server,
          autoDelete: false,
          protectDelete: false,
        };
      case 'volume':
        return {
          ...base,
          type: 'volume',
          sizeGb: d.sizeGb,
          location: d.location,
          format: d.format,
          server: d.server,
          protectDelete: true,
        };
      case 'server':
        return {
          ...base,
          type: 'server',
          serverType: d.serverType,
          image: d.image,
          location: d.location,
          status: 'running',
          networks: [{ ...d.network }],
          placementGroup: d.placementGroup ?? null,
          primaryIpv4: d.primaryIpv4 ?? `#${1000 + id}`,
          ipv4Id: 1000 + id,
          ipv6Id: d.ipv6 ? 2000 + id : null,
          publicIpv4: `203.0.113.${id}`,
          publicIpv6: d.ipv6 ? `2001:db8:${id}::/64` : null,
          volumes: [...d.volumes],
          protectDelete: false,
        };
    }
    throw new Error(`no observed twin for ${(d as DesiredResource).type}`);
  });
}
