// analysis: burst CPU. A CronJob at the best-effort priority (it yields to everything and never
// preempts), sized to fill most of one CCX23 worker, suspended while the config's replicas is 0.
import { CronJob } from 'kubernetes-models/batch/v1';
import { built } from '../src/manifest/manifest';
import type { AppModule } from '../src/render/app-context';
import {
  appLabels,
  appNamespace,
  claim,
  NO_PRIVILEGES,
  nonRootPod,
  placement,
  sized,
  type Tier,
} from '../src/render/app-objects';
import { objectsOnly } from '../src/render/runtime-secrets';
import { BEST_EFFORT_PRIORITY } from '../platform/priority-classes';

/** Nightly, after the backups of the night have run. */
const SCHEDULE = '0 4 * * *';

const analysis: AppModule = (context) => {
  const { app } = context;
  const labels = appLabels(context, 'job');
  const results =
    app.storage && app.storage.tier !== 'cold'
      ? claim(context, 'results', app.storage.tier, app.storage.sizeGb)
      : undefined;
  const tiers: Tier[] = app.storage && app.storage.tier !== 'cold' ? [app.storage.tier] : [];
  return objectsOnly([
    appNamespace(context),
    ...(results ? [results] : []),
    built(
      new CronJob({
        metadata: { name: app.name, namespace: app.name, labels },
        spec: {
          schedule: SCHEDULE,
          suspend: app.replicas === 0,
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              parallelism: Math.max(app.replicas, 1),
              backoffLimit: 2,
              template: {
                metadata: { labels },
                spec: {
                  restartPolicy: 'Never',
                  priorityClassName: BEST_EFFORT_PRIORITY,
                  securityContext: nonRootPod(),
                  affinity: placement(context, tiers),
                  containers: [
                    {
                      name: 'analysis',
                      image: app.image,
                      // A CCX23 has 4 dedicated vCPU and 16 GB; the rest is for the system and the node's other pods.
                      resources: sized('3', '12Gi'),
                      securityContext: NO_PRIVILEGES,
                      volumeMounts: results ? [{ name: 'results', mountPath: '/results' }] : [],
                    },
                  ],
                  volumes: results
                    ? [{ name: 'results', persistentVolumeClaim: { claimName: results.metadata.name } }]
                    : [],
                },
              },
            },
          },
        },
      }),
    ),
  ]);
};
export default analysis;
