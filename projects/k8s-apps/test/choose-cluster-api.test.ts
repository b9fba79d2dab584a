// The cluster client follows the endpoint: a sandbox gets the sandbox's model (no flux CLI needed);
// any other endpoint first needs the operator's flux CLI at the pinned version, named when missing.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '@personal-cloud/sandbox';
import { chooseClusterApi } from '../src/cluster/choose-cluster-api';

const notSandbox = async () => new Response('', { status: 404 });

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
    expect((await chooseClusterApi(sandbox.url, fetch, { PATH: bin })).kind).toBe('sandbox');
  });

  it('names a missing flux CLI for any other endpoint', async () => {
    await expect(chooseClusterApi('https://api.hetzner.cloud/v1', notSandbox, { PATH: bin })).rejects.toThrow(
      "the `flux` CLI is not on PATH: k8s-apps takes Flux v2.4.0's install manifests from `flux install --export`; install it with `curl -s https://fluxcd.io/install.sh | sudo FLUX_VERSION=2.4.0 bash`.",
    );
  });

  it('names a flux CLI of another version, then what is not built', async () => {
    await expect(
      chooseClusterApi('https://api.hetzner.cloud/v1', notSandbox, await fakeFlux('v2.3.0')),
    ).rejects.toThrow('the `flux` CLI on PATH is v2.3.0, and k8s-apps pins Flux v2.4.0');
    await expect(
      chooseClusterApi('https://api.hetzner.cloud/v1', notSandbox, await fakeFlux('v2.4.0')),
    ).rejects.toThrow('the Kubernetes API client is not built yet');
  });
});
