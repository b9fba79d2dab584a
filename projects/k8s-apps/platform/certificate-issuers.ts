// Where certificates come from: Let's Encrypt over HTTP-01 through k3s's Traefik when the config
// has acme, otherwise a self-signed issuer so every Certificate still becomes Ready.
import { ClusterIssuer } from '../src/manifest/crds/cert-manager';
import type { PlatformPart } from '../src/render/platform-context';
import { objectsOnly } from '../src/render/runtime-secrets';

export const ACME_ISSUER = 'letsencrypt';
export const SELF_SIGNED_ISSUER = 'self-signed';

export function issuerName(acme: unknown): string {
  return acme ? ACME_ISSUER : SELF_SIGNED_ISSUER;
}

const certificateIssuers: PlatformPart = ({ config }) =>
  objectsOnly([
    config.acme
      ? ClusterIssuer.build({
          metadata: { name: ACME_ISSUER },
          spec: {
            acme: {
              email: config.acme.email,
              server: config.acme.server,
              privateKeySecretRef: { name: `${ACME_ISSUER}-account-key` },
              solvers: [{ http01: { ingress: { ingressClassName: 'traefik' } } }],
            },
          },
        })
      : ClusterIssuer.build({ metadata: { name: SELF_SIGNED_ISSUER }, spec: { selfSigned: {} } }),
  ]);
export default certificateIssuers;
