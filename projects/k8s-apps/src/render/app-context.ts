// What an app module gets, and what it returns. The config says which apps run, on which tier,
// with which backups; the module (projects/k8s-apps/apps/<name>.ts) says how that becomes objects.
import type { AppConfig, LayerConfig, NodeModel } from '@personal-cloud/cluster';
import type { Rendered } from './runtime-secrets';
import type { StorageTiers } from './storage-tiers';

export interface AppContext {
  config: LayerConfig<'k8s-apps'>;
  app: AppConfig;
  tiers: StorageTiers;
  /** The nodes of the configured phase. */
  nodes: NodeModel[];
  /** The ClusterIssuer certificates come from. */
  issuer: string;
}

export type AppModule = (context: AppContext) => Rendered;
