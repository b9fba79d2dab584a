// VolSync has no model package. These schemas cover the fields we use of volsync.backube/v1alpha1
// as its CRDs define them in VolSync v0.11 (config/crd/bases/volsync.backube_replication{sources,destinations}.yaml).
import { z } from 'zod';
import { customResource, quantity } from './custom-resource';

export const VOLSYNC_API_VERSION = 'volsync.backube/v1alpha1';

const copyMethod = z.enum(['Clone', 'Direct', 'Snapshot']);
const retain = z.strictObject({
  hourly: z.number().int().min(1).optional(),
  daily: z.number().int().min(1).optional(),
  weekly: z.number().int().min(1).optional(),
  monthly: z.number().int().min(1).optional(),
  yearly: z.number().int().min(1).optional(),
  within: z.string().optional(),
});

export const ReplicationSource = customResource(
  VOLSYNC_API_VERSION,
  'ReplicationSource',
  z.strictObject({
    sourcePVC: z.string().min(1),
    trigger: z.strictObject({
      schedule: z
        .string()
        .regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron schedule')
        .optional(),
      manual: z.string().optional(),
    }),
    restic: z.strictObject({
      /** The Secret holding RESTIC_REPOSITORY, RESTIC_PASSWORD and the S3 credentials. */
      repository: z.string().min(1),
      copyMethod,
      pruneIntervalDays: z.number().int().min(1).optional(),
      retain: retain.optional(),
      cacheCapacity: quantity.optional(),
      cacheStorageClassName: z.string().optional(),
      storageClassName: z.string().optional(),
    }),
  }),
);

export const ReplicationDestination = customResource(
  VOLSYNC_API_VERSION,
  'ReplicationDestination',
  z.strictObject({
    trigger: z.strictObject({ manual: z.string().min(1) }),
    restic: z.strictObject({
      repository: z.string().min(1),
      copyMethod,
      destinationPVC: z.string().optional(),
      capacity: quantity.optional(),
      accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).optional(),
      storageClassName: z.string().optional(),
      /** Restore the newest snapshot taken at or before this RFC 3339 time. */
      restoreAsOf: z.iso.datetime({ offset: true }).optional(),
      cacheCapacity: quantity.optional(),
    }),
  }),
);
