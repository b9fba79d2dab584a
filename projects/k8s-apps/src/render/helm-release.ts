// A Helm chart delivered by Flux: its repository and a HelmRelease pinned to one chart version.
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import { Namespace } from 'kubernetes-models/v1';
import { built, type Manifest } from '../manifest/manifest';
import { FLUX_NAMESPACE } from './platform-context';

export interface PinnedChart {
  /** The HelmRepository's name in flux-system. */
  repository: string;
  url: string;
  chart: string;
  /** An exact chart version: an upgrade is a reviewed change to this file, never a surprise. */
  version: string;
}

export function helmRepository(chart: PinnedChart): Manifest {
  return built(
    new HelmRepository({
      metadata: { name: chart.repository, namespace: FLUX_NAMESPACE },
      spec: { interval: '24h', url: chart.url },
    }),
  );
}

export function helmRelease(
  chart: PinnedChart,
  release: { name: string; namespace: string; values: Record<string, unknown> },
): Manifest {
  return built(
    new HelmRelease({
      metadata: { name: release.name, namespace: release.namespace },
      spec: {
        interval: '1h',
        timeout: '10m',
        releaseName: release.name,
        chart: {
          spec: {
            chart: chart.chart,
            version: chart.version,
            sourceRef: { kind: 'HelmRepository', name: chart.repository, namespace: FLUX_NAMESPACE },
            interval: '24h',
          },
        },
        install: { crds: 'CreateReplace', remediation: { retries: 3 } },
        upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
        values: release.values,
      },
    }),
  );
}

/** A chart in a namespace of its own: the namespace, the repository and the release. */
export function chartInOwnNamespace(
  chart: PinnedChart,
  release: { name: string; namespace: string; values: Record<string, unknown> },
): Manifest[] {
  return [
    built(new Namespace({ metadata: { name: release.namespace } })),
    helmRepository(chart),
    helmRelease(chart, release),
  ];
}
