// cert-manager, from Jetstack's chart, with its CRDs; the issuers are in certificate-issuers.ts.
import { chartInOwnNamespace, type PinnedChart } from '../src/render/helm-release';
import type { PlatformPart } from '../src/render/platform-context';
import { objectsOnly } from '../src/render/runtime-secrets';

export const CERT_MANAGER_CHART: PinnedChart = {
  repository: 'jetstack',
  url: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: 'v1.16.2',
};

const certManager: PlatformPart = () =>
  objectsOnly(
    chartInOwnNamespace(CERT_MANAGER_CHART, {
      name: 'cert-manager',
      namespace: 'cert-manager',
      values: { crds: { enabled: true, keep: true } },
    }),
  );
export default certManager;
