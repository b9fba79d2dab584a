// What a platform part (projects/k8s-apps/platform/<part>.ts) gets: the whole cluster's view.
import type { LayerConfig, NodeModel } from '@personal-cloud/cluster';
import type { Rendered } from './runtime-secrets';
import type { StorageTiers } from './storage-tiers';

export interface PlatformContext {
  config: LayerConfig<'k8s-apps'>;
  tiers: StorageTiers;
  nodes: NodeModel[];
  issuer: string;
}

export type PlatformPart = (context: PlatformContext) => Rendered;

/** Flux's own namespace: sources live here. */
export const FLUX_NAMESPACE = 'flux-system';
