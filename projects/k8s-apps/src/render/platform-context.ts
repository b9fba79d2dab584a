// What a platform part (projects/k8s-apps/platform/<part>.ts) gets: the whole cluster's view.
import type { ClusterConfig, NodeModel } from '@personal-cloud/cluster';
import type { Rendered } from './runtime-secrets';
import type { StorageTiers } from './storage-tiers';

export interface PlatformContext {
  config: ClusterConfig;
  tiers: StorageTiers;
  nodes: NodeModel[];
  issuer: string;
}

export type PlatformPart = (context: PlatformContext) => Rendered;

/** Flux's own namespace: sources live here. */
export const FLUX_NAMESPACE = 'flux-system';
