// Per-app backups, as the config declares them: one VolSync ReplicationSource per declared claim,
// restic into the cold tier's bucket, copyMethod Direct (Hetzner's CSI has no snapshots and
// local-path has none either). An app without a declaration has no backup. The matching
// ReplicationDestination is rendered for restore into a scratch namespace, and not applied.
import { Namespace } from 'kubernetes-models/v1';
import { CloudError, type AppConfig } from '@personal-cloud/cluster';
import { ReplicationDestination, ReplicationSource } from '../manifest/crds/volsync';
import { built, type Manifest } from '../manifest/manifest';
import { CLAIM_LABEL } from './app-objects';
import type { RuntimeSecret } from './runtime-secrets';
import type { StorageTiers } from './storage-tiers';

export interface AppBackups {
  /** ReplicationSources, delivered with the app. */
  sources: Manifest[];
  /** The scratch namespace and ReplicationDestinations a restore applies. */
  restore: Manifest[];
  secrets: RuntimeSecret[];
}

type Retain = { hourly?: number; daily?: number; weekly?: number; monthly?: number };

/** `keep` counts backups; restic counts them per period, and the schedule says which period one backup is. */
export function retention(schedule: string, keep: number): Retain {
  const [minute, hour, dayOfMonth, , dayOfWeek] = schedule.trim().split(/\s+/);
  if (dayOfMonth !== '*') return { monthly: keep };
  if (dayOfWeek !== '*') return { weekly: keep };
  if (hour === '*' || hour?.includes('/') || minute?.includes('/')) return { hourly: keep };
  return { daily: keep };
}

/** The restore namespace of an app: restores land beside the app, never over it, unless asked. */
export function restoreNamespace(app: string): string {
  return `${app}-restore`;
}

export function renderBackups(app: AppConfig, appObjects: readonly Manifest[], tiers: StorageTiers): AppBackups {
  const none: AppBackups = { sources: [], restore: [], secrets: [] };
  if (app.backup === 'none') return none;
  const backup = app.backup;
  if (backup.to !== 'cold')
    throw new CloudError(
      `apps: ${app.name}.backup.to is ${backup.to}; VolSync's restic mover writes to object storage: allowed: cold`,
    );
  if (!tiers.cold)
    throw new CloudError(`apps: ${app.name} backs up to cold storage, which this phase does not have yet`);
  const claims = appObjects.filter((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.labels?.[CLAIM_LABEL]);
  const byName = new Map(claims.map((c) => [c.metadata.labels![CLAIM_LABEL]!, c]));
  const wanted = backup.claims ?? [...byName.keys()];
  const cold = tiers.cold;
  const out: AppBackups = {
    sources: [],
    restore: [built(new Namespace({ metadata: { name: restoreNamespace(app.name) } }))],
    secrets: [],
  };
  for (const name of wanted) {
    const pvc = byName.get(name);
    if (!pvc)
      throw new CloudError(
        `apps: ${app.name}.backup.claims names "${name}", but the app has no such claim; allowed: ${[...byName.keys()].sort().join(', ') || 'none'}`,
      );
    const spec = pvc.spec as { storageClassName: string; resources: { requests: { storage: string } } };
    const repository = `${pvc.metadata.name}-restic`;
    const keys = {
      RESTIC_REPOSITORY: { value: `s3:${cold.endpoint.replace(/\/$/, '')}/${cold.backupsBucket}/${app.name}/${name}` },
      RESTIC_PASSWORD: { token: 'RESTIC_PASSWORD' },
      AWS_ACCESS_KEY_ID: { token: 'S3_ACCESS_KEY_ID' },
      AWS_SECRET_ACCESS_KEY: { token: 'S3_SECRET_ACCESS_KEY' },
    };
    out.secrets.push(
      { namespace: app.name, name: repository, keys },
      { namespace: restoreNamespace(app.name), name: repository, keys, forRestore: true },
    );
    out.sources.push(
      ReplicationSource.build({
        metadata: { name: pvc.metadata.name, namespace: app.name, labels: { [CLAIM_LABEL]: name } },
        spec: {
          sourcePVC: pvc.metadata.name,
          trigger: { schedule: backup.schedule },
          restic: {
            repository,
            copyMethod: 'Direct',
            pruneIntervalDays: 7,
            retain: retention(backup.schedule, backup.keep),
            // The mover's cache sits on the claim's own tier, so it lands on the same node.
            cacheCapacity: '1Gi',
            cacheStorageClassName: spec.storageClassName,
          },
        },
      }),
    );
    out.restore.push(
      ReplicationDestination.build({
        metadata: { name: pvc.metadata.name, namespace: restoreNamespace(app.name), labels: { [CLAIM_LABEL]: name } },
        spec: {
          trigger: { manual: 'restore' },
          restic: {
            repository,
            copyMethod: 'Direct',
            capacity: spec.resources.requests.storage,
            accessModes: ['ReadWriteOnce'],
            storageClassName: spec.storageClassName,
            cacheCapacity: '1Gi',
          },
        },
      }),
    );
  }
  return out;
}
