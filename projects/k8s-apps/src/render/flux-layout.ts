// The layout `flux bootstrap git` and Flux's example repository use:
//   clusters/<cluster>/flux-system/     Flux's own sync (provision adds gotk-components.yaml from `flux install --export`)
//   clusters/<cluster>/infrastructure.yaml, apps.yaml
//   infrastructure/controllers/<part>/  Helm charts that bring CRDs
//   infrastructure/configs/<part>/      objects that use those CRDs
//   apps/<app>/
// Each stage's Flux Kustomization depends on the one before, so CRDs exist before their objects.
// restore/<app>/ is outside every Kustomization: restore applies it on demand.
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import type { LayerConfig } from '@personal-cloud/cluster';
import { built, type Manifest } from '../manifest/manifest';
import { FLUX_NAMESPACE } from './platform-context';
import type { RuntimeSecret } from './runtime-secrets';

export const KUSTOMIZE_API_VERSION = 'kustomize.config.k8s.io/v1beta1';
/** The GitRepository and the deploy-key Secret flux bootstrap names flux-system. */
export const FLUX_SOURCE = 'flux-system';

/** The deploy key Flux reads the repository with, in the keys `flux bootstrap` gives it; its key pair lives in the vault. */
export const DEPLOY_KEY_SECRET: RuntimeSecret = {
  namespace: FLUX_NAMESPACE,
  name: FLUX_SOURCE,
  keys: {
    identity: { token: 'GITOPS_DEPLOY_KEY' },
    'identity.pub': { publicKeyOf: 'GITOPS_DEPLOY_KEY' },
    known_hosts: { remote: 'knownHosts' },
  },
};

/**
 * The stages. The infrastructure stages wait for what they applied to be healthy, so the next
 * stage starts with the CRDs and classes it needs. apps does not wait: a claim on a
 * WaitForFirstConsumer class stays Pending while its CronJob is suspended, and that is fine.
 */
export const STAGES = [
  {
    name: 'infra-controllers',
    path: 'infrastructure/controllers',
    dependsOn: [] as string[],
    file: 'infrastructure.yaml',
    wait: true,
  },
  {
    name: 'infra-configs',
    path: 'infrastructure/configs',
    dependsOn: ['infra-controllers'],
    file: 'infrastructure.yaml',
    wait: true,
  },
  { name: 'apps', path: 'apps', dependsOn: ['infra-configs'], file: 'apps.yaml', wait: false },
] as const;

export function clusterDir(config: LayerConfig<'k8s-apps'>): string {
  return config.gitops?.path ?? `clusters/${config.name}`;
}

/** A kustomize file listing a directory's resources (files and subdirectories), sorted. */
export function kustomizeFile(resources: readonly string[]): Record<string, unknown> {
  return { apiVersion: KUSTOMIZE_API_VERSION, kind: 'Kustomization', resources: [...resources].sort() };
}

function fluxKustomization(name: string, path: string, dependsOn: readonly string[], wait: boolean): Manifest {
  return built(
    new Kustomization({
      metadata: { name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '1h',
        retryInterval: '1m',
        timeout: '5m',
        path: `./${path}`,
        prune: true,
        wait,
        sourceRef: { kind: 'GitRepository', name: FLUX_SOURCE },
        ...(dependsOn.length ? { dependsOn: dependsOn.map((d) => ({ name: d })) } : {}),
      },
    }),
  );
}

/** What Flux's own sync follows: a git URL and branch, and the cluster's directory in it. */
export interface FluxSyncSource {
  url: string;
  branch: string;
  path: string;
}

/** Flux's own sync: the GitRepository of the config's gitops section and the Kustomization of the cluster's directory. */
export function fluxSync(
  config: LayerConfig<'k8s-apps'> & { gitops: NonNullable<LayerConfig<'k8s-apps'>['gitops']> },
): Manifest[] {
  return fluxSyncObjects({ url: config.gitops.url, branch: config.gitops.branch, path: clusterDir(config) });
}

/** The same two objects for any source: render writes them to git, the Kubernetes client applies them at install. */
export function fluxSyncObjects(source: FluxSyncSource): Manifest[] {
  return [
    built(
      new GitRepository({
        metadata: { name: FLUX_SOURCE, namespace: FLUX_NAMESPACE },
        spec: {
          interval: '1m',
          url: source.url,
          ref: { branch: source.branch },
          secretRef: { name: FLUX_SOURCE },
        },
      }),
    ),
    fluxKustomization(FLUX_SOURCE, source.path, [], false),
  ];
}

/** The stage Kustomizations, grouped by the file of the cluster directory they live in. */
export function stageKustomizations(): Map<string, Manifest[]> {
  const files = new Map<string, Manifest[]>();
  for (const stage of STAGES)
    files.set(stage.file, [
      ...(files.get(stage.file) ?? []),
      fluxKustomization(stage.name, stage.path, stage.dependsOn, stage.wait),
    ]);
  return files;
}
