// website: the phase-1 proof. A Deployment behind a Service and an Ingress on k3s's Traefik, with a
// cert-manager certificate, a disruption budget, probes, and no root anywhere.
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { CloudError } from '@personal-cloud/cluster';
import { built } from '../src/manifest/manifest';
import type { AppModule } from '../src/render/app-context';
import { httpsService } from '../src/render/https-service';
import { objectsOnly } from '../src/render/runtime-secrets';
import {
  appLabels,
  appNamespace,
  NO_PRIVILEGES,
  nonRootPod,
  placement,
  sized,
  spreadAcrossNodes,
} from '../src/render/app-objects';

const website: AppModule = (context) => {
  const { app } = context;
  if (!app.port || !app.host) throw new CloudError(`apps: ${app.name} is a website and needs port and host`);
  const labels = appLabels(context, 'web');
  const namespace = app.name;
  const probe = { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 };
  return objectsOnly([
    appNamespace(context),
    built(
      new Deployment({
        metadata: { name: app.name, namespace, labels },
        spec: {
          replicas: app.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              securityContext: nonRootPod(),
              affinity: { ...placement(context, []), podAntiAffinity: spreadAcrossNodes(labels, 'preferred') },
              containers: [
                {
                  name: 'web',
                  image: app.image,
                  ports: [{ name: 'http', containerPort: app.port }],
                  resources: sized('250m', '256Mi'),
                  securityContext: NO_PRIVILEGES,
                  readinessProbe: { ...probe, initialDelaySeconds: 2 },
                  livenessProbe: { ...probe, initialDelaySeconds: 10, failureThreshold: 3 },
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
            },
          },
        },
      }),
    ),
    built(
      new PodDisruptionBudget({
        metadata: { name: app.name, namespace, labels },
        // One pod at a time may go: a drain never stalls, and with two or more replicas the site stays up.
        spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      }),
    ),
    ...httpsService(context, labels),
  ]);
};
export default website;
