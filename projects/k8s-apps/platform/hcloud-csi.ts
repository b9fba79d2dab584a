// Hetzner's CSI driver, for claims that must move between nodes (each is a new, billed volume).
// Its token is its own, from the vault as the Secret hcloud-csi, never the operator's HCLOUD_TOKEN.
// Its node DaemonSet tolerates every taint by default; the affinity keeps it on Hetzner's servers,
// off Oxygen and anything else that is not at Hetzner.
import { helmRelease, helmRepository, type PinnedChart } from '../src/render/helm-release';
import type { PlatformPart } from '../src/render/platform-context';
import { POOL_LABEL } from '../src/render/app-objects';

export const HCLOUD_CSI_CHART: PinnedChart = {
  repository: 'hcloud',
  url: 'https://charts.hetzner.cloud',
  chart: 'hcloud-csi',
  version: '2.11.0',
};
/** Created at deploy time from the vault's HCLOUD_CSI_TOKEN. */
export const HCLOUD_CSI_SECRET = { name: 'hcloud-csi', namespace: 'kube-system', key: 'token' };

const hcloudCsi: PlatformPart = ({ config }) => {
  // Every Hetzner node carries its pool as a label; Oxygen joins with none.
  const onHetzner = [{ key: POOL_LABEL, operator: 'In', values: config.pools.map((pool) => pool.name).sort() }];
  const offOxygen = config.oxygen
    ? [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [config.oxygen.hostname] }]
    : [];
  return {
    objects: [
      helmRepository(HCLOUD_CSI_CHART),
      helmRelease(HCLOUD_CSI_CHART, {
        name: 'hcloud-csi',
        namespace: HCLOUD_CSI_SECRET.namespace,
        values: {
          controller: { hcloudToken: { existingSecret: { name: HCLOUD_CSI_SECRET.name, key: HCLOUD_CSI_SECRET.key } } },
          node: {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [...onHetzner, ...offOxygen] }],
                },
              },
            },
          },
          // The class is rendered with the other tiers (storage-tiers.ts), named by the config.
          storageClasses: [],
        },
      }),
    ],
    secrets: [
      {
        namespace: HCLOUD_CSI_SECRET.namespace,
        name: HCLOUD_CSI_SECRET.name,
        keys: { [HCLOUD_CSI_SECRET.key]: { token: 'HCLOUD_CSI_TOKEN' } },
      },
    ],
  };
};
export default hcloudCsi;
