// An app served on its host over HTTPS: a Service for its `http` port, a cert-manager Certificate
// from the cluster's issuer, and an Ingress on k3s's bundled Traefik that terminates TLS with it.
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Service } from 'kubernetes-models/v1';
import { CloudError } from '@personal-cloud/cluster';
import { Certificate } from '../manifest/crds/cert-manager';
import { built, type Manifest } from '../manifest/manifest';
import type { AppContext } from './app-context';

export function httpsService(context: AppContext, labels: Record<string, string>): Manifest[] {
  const { app } = context;
  if (!app.port || !app.host) throw new CloudError(`apps: ${app.name} is served over HTTPS and needs port and host`);
  const metadata = { name: app.name, namespace: app.name, labels };
  const tlsSecret = `${app.name}-tls`;
  return [
    built(
      new Service({ metadata, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }),
    ),
    Certificate.build({
      metadata,
      spec: {
        secretName: tlsSecret,
        dnsNames: [app.host],
        issuerRef: { name: context.issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    }),
    built(
      new Ingress({
        metadata,
        spec: {
          ingressClassName: 'traefik',
          tls: [{ hosts: [app.host], secretName: tlsSecret }],
          rules: [
            {
              host: app.host,
              http: {
                paths: [
                  { path: '/', pathType: 'Prefix', backend: { service: { name: app.name, port: { name: 'http' } } } },
                ],
              },
            },
          ],
        },
      }),
    ),
  ];
}
