// The shipped cluster.config.ts, parsed, and variations of it for tests.
import { parseClusterConfig, type AppConfig, type ClusterConfig } from '@personal-cloud/cluster';
import shipped from '../../../cluster.config';

export function shippedConfig(): ClusterConfig {
  return parseClusterConfig(shipped);
}

/** The shipped config with one app's entry changed. */
export function withApp(name: string, change: (app: AppConfig) => AppConfig, config = shippedConfig()): ClusterConfig {
  return { ...config, apps: config.apps.map((app) => (app.name === name ? change(app) : app)) };
}
