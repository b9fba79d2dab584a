// A sandbox world for k8s-apps runs: an in-process sandbox on a controllable clock, a temporary
// vault holding every token the runtime Secrets need (distinctive values, so a leak is findable),
// and a one-server cluster in the machine model (the API answers only with etcd quorum).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ControllableClock, startSandbox, type RunningSandbox } from '@personal-cloud/sandbox';
import { generateOpenSshKeyPair, openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { bootstrapOneServer } from '../../../sandbox/test/one-server-cluster';

export interface AppsSandbox {
  sandbox: RunningSandbox;
  clock: ControllableClock;
  env: NodeJS.ProcessEnv;
  tokens: Record<string, string>;
  /** A temporary folder for the run's clone and the vault; removed by stop(). */
  root: string;
  stop(): Promise<void>;
}

export async function startAppsSandbox(): Promise<AppsSandbox> {
  const root = await mkdtemp(join(tmpdir(), 'k8s-apps-sandbox-'));
  const clock = new ControllableClock();
  const sandbox = await startSandbox({
    port: 0,
    dir: null,
    actionMs: 0,
    faults: '',
    machineMs: 'install=0,ready=0',
    clock: clock.now,
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HCLOUD_TOKEN: '',
    HCLOUD_ENDPOINT: sandbox.url,
    CLOUD_CONFIG: fileURLToPath(new URL('../../../../cluster.config.ts', import.meta.url)),
    CLOUD_SECRETS_DIR: join(root, 'secrets'),
    CLOUD_AGE_IDENTITY: join(root, 'identity.txt'),
  };
  const tokens = {
    GITOPS_DEPLOY_KEY: generateOpenSshKeyPair('flux@test').privateKey,
    RESTIC_PASSWORD: 'restic-password-0123456789abcdef',
    ATTIC_TOKEN_HS256_SECRET: 'attic-hs256-secret-0123456789abcdef',
    ATTIC_SIGNING_KEY: 'cache-1:attic-signing-key-0123456789abcdef',
    ETH_ENGINE_JWT: 'eth-engine-jwt-0123456789abcdef0123',
    HCLOUD_CSI_TOKEN: 'hcloud-csi-token-0123456789abcdef',
    S3_ACCESS_KEY_ID: 's3-access-key-id-0123456789',
    S3_SECRET_ACCESS_KEY: 's3-secret-access-key-0123456789abcdef',
  };
  const vault = await openVault({ ...vaultOptionsFromEnv(env, { sandbox: true }), log: () => {} });
  await vault.withLock('test: tokens', (session) => session.writeAll({ tokens }, 'test: tokens'));
  bootstrapOneServer(sandbox.machines, 'worker-1', '10.0.1.20');
  return {
    sandbox,
    clock,
    env,
    tokens,
    root,
    stop: async () => {
      await sandbox.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
