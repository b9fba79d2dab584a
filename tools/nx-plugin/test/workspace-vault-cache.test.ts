// Through nx, on a copy of this workspace: a write to the vault by a layer built on infra and hosts
// (k8s-apps' part of state) leaves their cache keys as they were; a slice they read moves them.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { copyWorkspace, freshCloneEnv, runNx } from './support/workspace-copy';

describe('vault writes and the cache', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  const nx = (...args: string[]) => runNx(work, env, ...args);

  beforeAll(() => {
    work = copyWorkspace('pc-vault-cache-');
    env = freshCloneEnv(work);
  });

  it('serves infra’s and hosts’ render from the cache after k8s-apps writes its part of state', async () => {
    // The vault as a provisioned cloud has it: a state document exists before the layers render.
    const vault = await openVault({
      ...vaultOptionsFromEnv({ ...env, CLOUD_SECRETS_DIR: join(work, '.secrets') }, { sandbox: true }),
      log: () => {},
    });
    const write = (layers: Record<string, unknown>) =>
      vault.withLock('test', (session) => session.write('state', { version: 1, layers }, 'test: state'));
    await write({});
    // The first run makes the keys before Nx hashes anything (the plugin's pre-task step), so its
    // renders are cached under the vault they read: the run after the write below is all cache hits.
    const first = nx('run-many', '-t', 'render', '-p', 'infra', 'hosts');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toMatch(/keys: generated \d+ of \d+ key\(s\) into the vault's tokens/);
    // `nx run vault:keys` still works alone, and finds every key.
    expect(nx('run', 'vault:keys').out).toMatch(/keys: all \d+ key\(s\) present .*; nothing written\./);
    await write({ 'k8s-apps': { deployed: 'by the test' } });
    const again = nx('run-many', '-t', 'render', '-p', 'infra', 'hosts');
    expect(again.code, again.out).toBe(0);
    // Every render from the cache (the key step is no task: the plugin runs it, when needed, before hashing).
    expect(again.out).toMatch(/Cache:\s+4\/4 hit/);
    // With every key there, the step is skipped without starting it: no line from it, nothing written.
    expect(again.out).not.toContain('keys:');
    // A slice infra reads (its own part of state) does reach its key.
    await write({ infra: { resources: {} }, 'k8s-apps': { deployed: 'by the test' } });
    const changed = nx('run-many', '-t', 'render', '-p', 'infra', 'hosts');
    // infra, and the builder and hosts built on it, render again; only the pure cluster model is a hit.
    expect(changed.out).toMatch(/Cache:\s+1\/4 hit/);
  }, 90_000);
});
