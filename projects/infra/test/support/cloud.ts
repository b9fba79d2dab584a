// A private cloud for one test: a sandbox on an ephemeral port (in memory), a vault in a temp
// dir, and a config file; `env` is what the targets would see. Every exchange is recorded so
// the test can check it against Hetzner's OpenAPI spec. The sandbox runs on a controllable clock
// that in-process runs share (`cloud.fast`), so their waits cost no wall time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControllableClock, startSandbox, type Exchange, type RunningSandbox } from '@personal-cloud/sandbox';
import { openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { recordExchanges, type ExchangeRecorder } from '../../../sandbox/test/contract';
import { HcloudClient, type HcloudClientOptions } from '../../src/hcloud/client';
import { listCluster } from '../../src/reconcile/list-cluster';
import { observe } from '../../src/reconcile/observed';
import { PlainProgress } from '@personal-cloud/layer-kit';
import { SANDBOX_TOKEN } from '../../src/world/world';
import { seedConfig } from '../fixtures';

export interface TestCloud {
  dir: string;
  env: NodeJS.ProcessEnv;
  sandbox: RunningSandbox;
  recorder: ExchangeRecorder;
  /** The sandbox's clock: tests may pause or advance it. */
  clock: ControllableClock;
  /** Client options for runs in this process: the cloud's clock, so sleeps skip ahead instead of waiting. */
  fast: Partial<HcloudClientOptions>;
  client: HcloudClient;
  /** Calls `listener` with every exchange, as it is answered; returns the unsubscribe. */
  onExchange(listener: (exchange: Exchange) => void): () => void;
  /** Rewrites the config file (e.g. another phase). */
  setConfig(change: (c: ReturnType<typeof seedConfig>) => void): Promise<void>;
  observed(): Promise<ReturnType<typeof observe>>;
  vault(): ReturnType<typeof openVault>;
  close(): Promise<void>;
}

/**
 * Every exchange of every cloud a test file makes (vitest gives each file its own module
 * instance), for one contract check at the end of the file: `describeContract(fileExchanges, …)`.
 */
export const fileExchanges = recordExchanges();

export const quietProgress = () => new PlainProgress({ write: () => true });

export async function testCloud(
  options: { phase?: number; actionMs?: number; faults?: string; serverLimit?: number } = {},
): Promise<TestCloud> {
  const dir = await mkdtemp(join(tmpdir(), 'pc-cloud-'));
  const recorder = recordExchanges();
  const listeners = new Set<(exchange: Exchange) => void>();
  const onExchange = (exchange: Exchange) => {
    recorder.onExchange(exchange);
    fileExchanges.onExchange(exchange);
    for (const listener of listeners) listener(exchange);
  };
  const clock = new ControllableClock();
  const sandbox = await startSandbox({
    port: 0,
    dir: null,
    actionMs: options.actionMs ?? 5,
    faults: options.faults ?? '',
    serverLimit: options.serverLimit,
    onExchange,
    clock: clock.now,
  });
  const configFile = join(dir, 'cluster.config.ts');
  let version = 0;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    CLOUD_SECRETS_DIR: join(dir, 'secrets'),
    CLOUD_AGE_IDENTITY: join(dir, 'identity.txt'),
    HCLOUD_ENDPOINT: sandbox.url,
    CLOUD_CONFIG: configFile,
  };
  const setConfig = async (change: (c: ReturnType<typeof seedConfig>) => void) => {
    const config = seedConfig();
    config.phase = options.phase ?? 4;
    change(config);
    // A new file name per version: a module, once imported, is cached by its URL.
    version += 1;
    env.CLOUD_CONFIG = join(dir, `cluster.config.${version}.ts`);
    await writeFile(env.CLOUD_CONFIG, `export default ${JSON.stringify(config)};\n`);
  };
  await setConfig(() => {});
  // Made here, quietly: the vault announces a new identity, which would only clutter test output.
  await openVault({ ...vaultOptionsFromEnv(env, { sandbox: true }), log: () => {} });
  const fast = { now: clock.now, sleep: clock.sleep };
  const client = new HcloudClient({ endpoint: sandbox.url, token: SANDBOX_TOKEN, ...fast });
  return {
    dir,
    env,
    sandbox,
    recorder,
    clock,
    fast,
    client,
    onExchange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setConfig,
    observed: async () => observe(await listCluster(client, 'pc')),
    vault: () => openVault(vaultOptionsFromEnv(env, { sandbox: true })),
    async close() {
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
