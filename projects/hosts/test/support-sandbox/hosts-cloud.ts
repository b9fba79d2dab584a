// A sandbox cloud for hosts' provision tests: infra's test cloud (in-memory sandbox on a
// controllable clock, temp vault, config file), infra provisioned, the keys generated; then
// hosts' provision runs in-process on the same clock, so machine steps cost no wall time.
import { join } from 'node:path';
import { loadClusterConfig } from '@personal-cloud/cluster';
import { provisionInfra } from '@personal-cloud/infra';
import { ensureKeys } from '@personal-cloud/vault';
import { quietProgress, testCloud, type TestCloud } from '../../../infra/test/support/cloud';
import { keySpecs } from '../../src/key-specs';
import { provisionHosts, type HostsRun } from '../../src/provision/provision-hosts';
import { readHostsState } from '../../src/state/hosts-state';

export interface HostsCloud extends TestCloud {
  /** infra:provision, then vault:keys, as the Nx graph runs them before hosts. */
  infra(): Promise<void>;
  hosts(run?: Partial<HostsRun>): ReturnType<typeof provisionHosts>;
  hostsState(): Promise<ReturnType<typeof readHostsState>>;
}

export async function hostsCloud(options: { phase?: number; faults?: string } = {}): Promise<HostsCloud> {
  const cloud = await testCloud({ phase: options.phase ?? 1, actionMs: 5 });
  if (options.faults) cloud.sandbox.setFaults(options.faults);
  return {
    ...cloud,
    async infra() {
      await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
      const config = await loadClusterConfig(cloud.env.CLOUD_CONFIG!);
      await ensureKeys(await cloud.vault(), keySpecs(config));
    },
    hosts: (run = {}) =>
      provisionHosts({
        env: cloud.env,
        clock: { now: cloud.clock.now, sleep: cloud.clock.sleep },
        progress: quietProgress(),
        renderDir: join(cloud.dir, 'render'),
        ...run,
      }),
    hostsState: async () => readHostsState(await (await cloud.vault()).read('state')),
  };
}
