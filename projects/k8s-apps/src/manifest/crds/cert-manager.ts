// cert-manager has no model package in this workspace. These schemas cover the fields we use of
// cert-manager.io/v1 as cert-manager v1.16 defines them (deploy/crds/crd-{clusterissuers,certificates}.yaml).
import { z } from 'zod';
import { customResource } from './custom-resource';

export const CERT_MANAGER_API_VERSION = 'cert-manager.io/v1';

const acmeIssuer = z.strictObject({
  email: z.string().min(3),
  server: z.url(),
  privateKeySecretRef: z.strictObject({ name: z.string().min(1) }),
  solvers: z
    .array(
      z.strictObject({ http01: z.strictObject({ ingress: z.strictObject({ ingressClassName: z.string().min(1) }) }) }),
    )
    .min(1),
});

export const ClusterIssuer = customResource(
  CERT_MANAGER_API_VERSION,
  'ClusterIssuer',
  z.union([z.strictObject({ acme: acmeIssuer }), z.strictObject({ selfSigned: z.strictObject({}) })]),
);

export const Certificate = customResource(
  CERT_MANAGER_API_VERSION,
  'Certificate',
  z.strictObject({
    secretName: z.string().min(1),
    dnsNames: z.array(z.string().min(1)).min(1),
    issuerRef: z.strictObject({
      name: z.string().min(1),
      kind: z.enum(['Issuer', 'ClusterIssuer']),
      group: z.literal('cert-manager.io').optional(),
    }),
  }),
);
