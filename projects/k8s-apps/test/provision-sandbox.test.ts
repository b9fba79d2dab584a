// k8s-apps:provision end to end in the sandbox world: the shipped render pushed to the sandbox's
// bare GitOps repository, Flux's stand-in installed with the deploy key, the runtime Secrets
// created (the journal records names and keys only), every Flux Kustomization Ready as the
// sandbox's Flux builds it with the real kubectl kustomize; a second run commits nothing and
// prints one line; no value of the vault's tokens is anywhere in the GitOps history.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findLeaks, openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { provisionK8sApps } from '../src/provision/provision-k8s-apps';
import { renderTree } from '../src/render/render-tree';
import { restoreApp } from '../src/restore/run-restore';
import { shippedConfig } from './fixtures';
import { startAppsSandbox, type AppsSandbox } from './support/apps-sandbox';

describeWithTool('kubectl', 'k8s-apps:provision in the sandbox', () => {
  let world: AppsSandbox;
  let sandbox: AppsSandbox['sandbox'];
  let env: NodeJS.ProcessEnv;
  let tokens: Record<string, string>;
  let clock: AppsSandbox['clock'];
  const lines: string[] = [];
  let remoteUrl = '';
  const run = () =>
    provisionK8sApps({
      env,
      clone: join(world.root, 'clone'),
      clock,
      log: (line) => lines.push(line),
      timeoutMs: 60_000,
    });

  beforeAll(async () => {
    world = await startAppsSandbox();
    ({ sandbox, env, tokens, clock } = world);
  });
  afterAll(() => world.stop());

  it('pushes the render, installs Flux, creates the Secrets and ends with every Kustomization Ready', async () => {
    const result = await run();
    remoteUrl = result.remoteUrl;
    expect(result.pushed).toMatch(/^[0-9a-f]{40}$/);
    expect(result.fluxInstalled).toBe(true);
    expect(result.kustomizations.map((k) => [k.name, k.ready])).toEqual([
      ['flux-system', true],
      ['infra-controllers', true],
      ['infra-configs', true],
      ['apps', true],
    ]);
    expect(lines.filter((l) => l.includes('Ready'))).toHaveLength(4);
    const state = (await (await fetch(`${sandbox.url.replace(/\/v1$/, '')}/__sandbox/cluster`)).json()) as {
      secrets: Record<string, string[]>;
      flux: { version: string; source: { url: string; path: string } };
    };
    expect(state.secrets['flux-system/flux-system']).toEqual(['identity', 'identity.pub', 'known_hosts']);
    // Every Secret the render declares, and no other; a restore's scratch namespace gets its Secrets from restore.
    const declared = renderTree(shippedConfig())
      .secrets.filter((secret) => !secret.forRestore)
      .map((secret) => `${secret.namespace}/${secret.name}`);
    expect(Object.keys(state.secrets).sort()).toEqual([...new Set(declared)].sort());
    expect(declared).toContain('nix-cache/nix-cache-server');
    expect(Object.keys(state.secrets).filter((key) => key.includes('-restore/'))).toEqual([]);
    expect(state.flux).toMatchObject({
      version: 'v2.4.0',
      source: { url: result.remoteUrl, path: 'clusters/personal-cloud' },
    });
    // The cold tier's buckets, created once each in the sandbox's object storage (phase 4 ≥ cold's 3).
    expect(
      sandbox.machines.journal
        .all()
        .filter((e) => e.step === 'create-bucket')
        .map((e) => e.args.name),
    ).toEqual(['personal-cloud-archive', 'personal-cloud-backups', 'personal-cloud-cache']);
    expect(lines).toContain(
      "k8s-apps: created the cold tier's buckets personal-cloud-archive, personal-cloud-backups, personal-cloud-cache at https://fsn1.your-objectstorage.com.",
    );
    const journal = JSON.stringify(sandbox.machines.journal.all());
    expect(findLeaks([{ path: 'journal', text: journal }], tokens)).toEqual([]);
  });

  it('makes no commit on a second run and says so in one line', async () => {
    lines.length = 0;
    const journalLength = sandbox.machines.journal.all().length;
    const again = await run();
    // Nothing changed, so nothing was sent: no Secret, no install, no reconcile.
    expect(sandbox.machines.journal.all()).toHaveLength(journalLength);
    expect(again.pushed).toBeNull();
    expect(lines).toEqual([
      `k8s-apps: nothing to commit: ${again.remoteUrl} holds this render (${again.head.slice(0, 7)}); 4 Flux Kustomizations Ready; 7 of 7 Secrets unchanged.`,
    ]);
    expect(
      execFileSync('git', ['-C', fileURLToPath(again.remoteUrl), 'rev-list', '--count', 'main'])
        .toString()
        .trim(),
    ).toBe('1');
  });

  it("holds no value of the vault's tokens anywhere in the GitOps history", async () => {
    const bare = fileURLToPath(remoteUrl);
    const history = execFileSync('git', ['-C', bare, 'log', '--all', '-p', '--format=%H %s%n%b'], {
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    expect(history).toContain('kind: HelmRelease');
    expect(findLeaks([{ path: 'history', text: history }], tokens)).toEqual([]);
    // The scan itself finds a value that is there.
    expect(findLeaks([{ path: 'history', text: `${history}${tokens.S3_SECRET_ACCESS_KEY}` }], tokens)).toHaveLength(1);
  });

  it('rehearses a restore of eth-node into its scratch namespace, as of a time, and in place', async () => {
    const journalBefore = sandbox.machines.journal.all().length;
    const restored = await restoreApp({ env, clock, request: { app: 'eth-node', asOf: null, inPlace: false } });
    // The scratch namespace's repository Secret is the restore's to create; the app's own is there already.
    const secretsSent = (from: number) =>
      sandbox.machines.journal
        .all()
        .slice(from)
        .filter((e) => e.step === 'apply-secret')
        .map((e) => `${e.args.namespace}/${e.args.name}`);
    expect(secretsSent(journalBefore)).toEqual(['eth-node-restore/eth-node-keys-restic']);
    expect(restored.restored).toEqual([
      expect.objectContaining({
        claim: 'eth-node-keys',
        namespace: 'eth-node-restore',
        capacity: '1Gi',
        message: 'restic restore of eth-node-keys-restic (latest snapshot) into eth-node-keys',
      }),
    ]);
    expect(restored.durationMs).toBeGreaterThanOrEqual(500);
    const state = (await (await fetch(`${sandbox.url.replace(/\/v1$/, '')}/__sandbox/cluster`)).json()) as {
      applied: Record<string, unknown>;
    };
    expect(Object.keys(state.applied)).toEqual([
      'Namespace//eth-node-restore',
      'ReplicationDestination/eth-node-restore/eth-node-keys',
    ]);

    const asOf = '2026-11-30T03:00:00Z';
    const beforeInPlace = sandbox.machines.journal.all().length;
    const inPlace = await restoreApp({ env, clock, request: { app: 'eth-node', asOf, inPlace: true } });
    expect(secretsSent(beforeInPlace)).toEqual([]);
    expect(inPlace.restored[0]).toMatchObject({
      namespace: 'eth-node',
      message: `restic restore of eth-node-keys-restic as of ${asOf} into eth-node-keys`,
    });
  });

  it('refuses a restore of an app without a backup, or a bad --as-of, in one sentence', async () => {
    const request = { app: 'website', asOf: null, inPlace: false };
    await expect(restoreApp({ env, clock, request })).rejects.toThrow(
      '--app=website: that app declares no backup in this phase; apps with backups: analysis, eth-node.',
    );
    await expect(
      restoreApp({ env, clock, request: { ...request, app: 'eth-node', asOf: 'yesterday' } }),
    ).rejects.toThrow('--as-of must be an RFC 3339 time such as 2026-12-01T03:00:00Z, not "yesterday".');
  });

  it('applies again only the Secret whose vault token changed', async () => {
    const vault = await openVault({ ...vaultOptionsFromEnv(env, { sandbox: true }), log: () => {} });
    await vault.withLock('test: rotate', async (session) =>
      session.write(
        'tokens',
        { ...(await session.read('tokens')), ETH_ENGINE_JWT: 'rotated-jwt-0123456789abcdef' },
        'rotate',
      ),
    );
    const before = sandbox.machines.journal.all().length;
    expect((await run()).pushed).toBeNull();
    const sent = sandbox.machines.journal.all().slice(before);
    expect(sent.map((e) => `${e.step} ${e.args.namespace}/${e.args.name}`)).toEqual([
      'apply-secret eth-node/eth-node-jwt',
    ]);
  });
});
