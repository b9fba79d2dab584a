// The cluster's API side of the sandbox: its GitOps remote is a real bare repository, its "Flux"
// builds what was pushed there with the real kubectl kustomize in dependsOn order, and every step
// lands in the machines' journal; Secrets are recorded by names and keys, never values.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { startSandbox, type RunningSandbox } from '../src/index';
import { bootstrapOneServer } from './one-server-cluster';

const kustomization = (resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `- ${r}`).join('\n')}\n`;
const fluxKustomization = (name: string, path: string, dependsOn: string[]) =>
  [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    `metadata: { name: ${name}, namespace: flux-system }`,
    `spec: { interval: 1h, path: ./${path}, prune: true, sourceRef: { kind: GitRepository, name: flux-system }${
      dependsOn.length ? `, dependsOn: [${dependsOn.map((d) => `{ name: ${d} }`).join(', ')}]` : ''
    } }`,
  ].join('\n');
const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: default }\n`;

/** A Flux layout in miniature: the cluster directory declares infra, then apps after it. */
function layout(appsFile: string, infraFile = 'config.yaml'): Record<string, string> {
  return {
    'clusters/demo/kustomization.yaml': kustomization(['stages.yaml']),
    'clusters/demo/stages.yaml': `${fluxKustomization('infra', 'infrastructure', [])}\n---\n${fluxKustomization('apps', 'apps', ['infra'])}\n`,
    'infrastructure/kustomization.yaml': kustomization([infraFile]),
    'infrastructure/config.yaml': configMap('infra'),
    'apps/kustomization.yaml': kustomization([appsFile]),
    'apps/app.yaml': configMap('app'),
  };
}

describeWithTool('kubectl', "the sandbox's cluster API and Flux", () => {
  let sandbox: RunningSandbox;
  let work: string;
  const origin = () => sandbox.url.replace(/\/v1$/, '');
  const step = async (name: string, args: unknown) => {
    const response = await fetch(`${origin()}/__sandbox/cluster/steps`, {
      method: 'POST',
      body: JSON.stringify({ step: name, args }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const cluster = async () => (await (await fetch(`${origin()}/__sandbox/cluster`)).json()) as any;

  /** Commits `files` as the whole tree and pushes it to the sandbox's bare repository. */
  async function push(files: Record<string, string>): Promise<string> {
    const url = ((await (await fetch(`${origin()}/__sandbox/gitops`)).json()) as { url: string }).url;
    const clone = join(work, `clone-${Math.random().toString(36).slice(2)}`);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', clone, ...args], {
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      })
        .toString()
        .trim();
    mkdirSync(clone);
    git('init', '--quiet', '--initial-branch=main');
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      writeFileSync(join(clone, file), text);
    }
    git('add', '.');
    git('commit', '--quiet', '-m', 'tree');
    git('push', '--quiet', '--force', url, 'HEAD:refs/heads/main');
    return git('rev-parse', 'HEAD');
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sandbox-cluster-api-'));
    sandbox = await startSandbox({ port: 0, dir: null, actionMs: 0, faults: '', machineMs: 'install=0,ready=0' });
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('does not answer while etcd has no quorum, and says so in the journal', async () => {
    const answer = await step('flux-install', { version: 'v2.4.0', source: { url: 'x', branch: 'main', path: 'p' } });
    expect(answer.body).toMatchObject({
      outcome: 'unreachable',
      message: 'the Kubernetes API does not answer: etcd has no quorum (0 of 0 members up)',
    });
    expect(sandbox.machines.journal.all().at(-1)).toMatchObject({ step: 'flux-install', outcome: 'unreachable' });
  });

  it('reconciles a pushed commit in dependsOn order, then names the Kustomization whose build fails', async () => {
    bootstrapOneServer(sandbox.machines, 'master-1', '10.0.1.10');
    const url = ((await (await fetch(`${origin()}/__sandbox/gitops`)).json()) as { url: string }).url;
    expect(url).toMatch(/^file:\/\/.*\/gitops\.git$/);
    const good = await push(layout('app.yaml'));
    expect(
      (await step('flux-install', { version: 'v2.4.0', source: { url, branch: 'main', path: 'clusters/demo' } })).body
        .outcome,
    ).toBe('ok');
    expect((await step('flux-reconcile', {})).body).toMatchObject({
      outcome: 'ok',
      result: { revision: `main@sha1:${good}` },
    });
    const ready = (await cluster()).kustomizations;
    expect(Object.values(ready).map((k: any) => [k.name, k.ready, k.reason])).toEqual([
      ['flux-system', true, 'ReconciliationSucceeded'],
      ['infra', true, 'ReconciliationSucceeded'],
      ['apps', true, 'ReconciliationSucceeded'],
    ]);
    expect(ready.apps).toMatchObject({ objects: 1, message: `Applied revision: main@sha1:${good}` });

    const broken = await push(layout('missing.yaml'));
    await step('flux-reconcile', {});
    const after = (await cluster()).kustomizations;
    expect(after.infra.ready).toBe(true);
    expect(after.apps).toMatchObject({ ready: false, reason: 'BuildFailed', revision: `main@sha1:${broken}` });
    expect(after.apps.message).toContain('missing.yaml');
    expect(after.apps.message).not.toContain(tmpdir());
    const journaled = sandbox.machines.journal
      .all()
      .filter((e) => e.step === 'kustomization')
      .at(-1);
    expect(journaled).toMatchObject({ node: 'kustomize-controller', outcome: 'failed', args: { name: 'apps' } });
  });

  it('records a Secret by its names and keys and refuses to be sent its values', async () => {
    expect((await step('apply-secret', { namespace: 'nix-cache', name: 'attic', keys: ['b', 'a'] })).body.outcome).toBe(
      'ok',
    );
    expect((await cluster()).secrets['nix-cache/attic']).toEqual(['a', 'b']);
    const refused = await step('apply-secret', { namespace: 'n', name: 's', keys: ['k'], data: { k: 'v' } });
    expect(refused).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_input',
          message: "apply-secret: takes a Secret's namespace, name and keys, never its values",
        },
      },
    });
  });

  it("creates the object storage's buckets once, outside the cluster, and is never sent the S3 keys", async () => {
    const bucket = { name: 'personal-cloud-backups', endpoint: 'https://fsn1.your-objectstorage.com' };
    expect((await step('create-bucket', bucket)).body).toEqual({
      step: 'create-bucket',
      outcome: 'ok',
      result: { created: true },
    });
    expect(sandbox.machines.journal.all().at(-1)).toMatchObject({
      step: 'create-bucket',
      node: 'object-storage',
      args: bucket,
      outcome: 'ok',
    });
    expect((await step('create-bucket', bucket)).body.result).toEqual({ created: false });
    expect((await cluster()).buckets).toEqual({
      'personal-cloud-backups': { endpoint: bucket.endpoint, createdAt: expect.any(String) },
    });
    expect((await step('create-bucket', { ...bucket, credentials: { secretAccessKey: 'x' } })).body.error.message).toBe(
      "create-bucket: takes a bucket's name and endpoint, never the S3 keys",
    );
    expect((await step('create-bucket', { ...bucket, name: 'No_Such' })).body.error.message).toBe(
      'create-bucket: "No_Such" is not a valid bucket name (3-63 of a-z, 0-9, ".", "-")',
    );
  });
});
