// The cluster client follows the endpoint: a sandbox gets the sandbox's model (no flux CLI needed,
// whatever the vault holds); any other endpoint first needs the operator's flux CLI at the pinned
// version, named when missing, then the kubeconfig hosts:provision keeps in the vault.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '@personal-cloud/sandbox';
import { chooseClusterApi } from '../src/cluster/choose-cluster-api';

const notSandbox = async () => new Response('', { status: 404 });
const clock = { now: () => 0, sleep: async () => {} };
const HETZNER = 'https://api.hetzner.cloud/v1';
/** The inputs of a run whose vault holds `tokens`. */
const inputs = (env: NodeJS.ProcessEnv, tokens: Record<string, string> = {}, fetchImpl: typeof fetch = notSandbox) => ({
  gitopsUrl: 'ssh://git@example.org/gitops.git',
  readTokens: async () => tokens,
  clock,
  fetchImpl,
  env,
});

describe('chooseClusterApi', () => {
  let sandbox: RunningSandbox;
  let bin: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dir: null, faults: '' });
    bin = await mkdtemp(join(tmpdir(), 'k8s-apps-flux-bin-'));
  });
  afterAll(async () => {
    await sandbox.stop();
    await rm(bin, { recursive: true, force: true });
  });

  /** A `flux` on PATH that reports `version`. */
  const fakeFlux = async (version: string) => {
    await writeFile(join(bin, 'flux'), `#!/bin/sh\necho "flux: ${version}"\n`);
    await chmod(join(bin, 'flux'), 0o755);
    return { ...process.env, PATH: bin };
  };

  it('gives a sandbox endpoint the sandbox model, whatever is on PATH', async () => {
    const api = await chooseClusterApi(sandbox.url, inputs({ PATH: bin }, { KUBECONFIG: 'apiVersion: v1' }, fetch));
    expect(api.kind).toBe('sandbox');
  });

  it('names a missing flux CLI for any other endpoint', async () => {
    await expect(chooseClusterApi(HETZNER, inputs({ PATH: bin }))).rejects.toThrow(
      "the `flux` CLI is not on PATH: k8s-apps takes Flux v2.4.0's install manifests from `flux install --export`; install it with `curl -s https://fluxcd.io/install.sh | sudo FLUX_VERSION=2.4.0 bash`.",
    );
  });

  it('names a flux CLI of another version, then a vault without the kubeconfig', async () => {
    await expect(chooseClusterApi(HETZNER, inputs(await fakeFlux('v2.3.0')))).rejects.toThrow(
      'the `flux` CLI on PATH is v2.3.0, and k8s-apps pins Flux v2.4.0',
    );
    await expect(
      chooseClusterApi(HETZNER, inputs(await fakeFlux('v2.4.0'), { GITOPS_DEPLOY_KEY: 'k' })),
    ).rejects.toThrow(
      "the vault's tokens lack KUBECONFIG, the cluster's kubeconfig that `npx nx run hosts:provision` records; run it first. Nothing was pushed or applied.",
    );
  });
});
