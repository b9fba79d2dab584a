// The storage tiers of the seed, as this layer sees them: hot is a node's own NVMe, warm is the
// 500 GB volume on every worker (both through k3s's local-path provisioner, so node-bound), a
// movable claim is a new hcloud CSI volume, and cold is S3 for backups only.
import { CloudError, type LayerConfig } from '@personal-cloud/cluster';

export interface StorageTiers {
  hot: { storageClass: string; path: string; nodeLabels: Record<string, string>; osReserveGb: number };
  warm: { storageClass: string; path: string };
  movable: { storageClass: string };
  /** Present from storage.cold.fromPhase on; before that backups have nowhere to go and attic keeps its chunks on warm. */
  cold?: { endpoint: string; region: string; backupsBucket: string; cacheBucket: string };
}

export function storageTiers(config: LayerConfig<'k8s-apps'>): StorageTiers {
  const { hot, warm, cold } = config.storage;
  const volumes = config.pools.flatMap((pool) => pool.volumes);
  const volume = volumes.find((v) => v.name === warm.volume);
  if (!volume)
    throw new CloudError(
      `storage.warm.volume: "${warm.volume}" is not a volume of any pool; allowed: ${[...new Set(volumes.map((v) => v.name))].join(', ') || 'none (add a volume to a pool)'}`,
    );
  return {
    hot: { storageClass: hot.storageClass, path: hot.path, nodeLabels: hot.nodeLabels, osReserveGb: hot.osReserveGb },
    warm: { storageClass: warm.storageClass, path: volume.mountPath ?? `/mnt/${volume.name}` },
    movable: { storageClass: warm.movableStorageClass },
    cold:
      config.phase >= cold.fromPhase
        ? {
            endpoint: cold.endpoint,
            region: cold.region,
            backupsBucket: cold.buckets.backups,
            cacheBucket: cold.buckets.cache ?? cold.buckets.archive,
          }
        : undefined,
  };
}

/** The storage classes a claim may name. */
export function claimClasses(tiers: StorageTiers): string[] {
  return [tiers.hot.storageClass, tiers.warm.storageClass, tiers.movable.storageClass];
}
