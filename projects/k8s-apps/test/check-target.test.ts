// The check target end to end: the tree on disk, the config file, and the tokens read from a real
// (temporary) vault, so a planted token value is caught the way an operator's run would catch it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { renderTree } from '../src/render/render-tree';
import { checkRendered } from '../src/targets/check';
import { writeTree } from '../src/targets/render';
import { shippedConfig } from './fixtures';

const PLANTED = 'planted-s3-secret-9f8e7d6c5b4a';

describeWithTool('kubectl', 'k8s-apps:check against the vault', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'k8s-apps-check-'));
    env = {
      ...process.env,
      HCLOUD_TOKEN: '',
      CLOUD_CONFIG: resolve(__dirname, '../../../cluster.config.ts'),
      CLOUD_SECRETS_DIR: join(root, 'secrets'),
      CLOUD_AGE_IDENTITY: join(root, 'identity.txt'),
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@localhost',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@localhost',
    };
    const vault = await openVault({ ...vaultOptionsFromEnv(env, { sandbox: true }), log: () => {} });
    await vault.withLock('test: tokens', (session) =>
      session.writeAll({ tokens: { S3_SECRET_ACCESS_KEY: PLANTED } }, 'test: tokens'),
    );
    await writeTree(join(root, 'render'), renderTree(shippedConfig()).files);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('passes the shipped render', async () => {
    expect(await checkRendered(join(root, 'render'), env)).toEqual({ files: 58, kustomizations: 17 });
  });

  it("fails when a file holds a value of the vault's tokens, naming the token and the file but not the value", async () => {
    const file = join(root, 'render/apps/website/deployment.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('part-of: personal-cloud', `part-of: ${PLANTED}`));
    const failure = await checkRendered(join(root, 'render'), env).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toContain(
      "apps/website/deployment.yaml contains the value of the vault's token S3_SECRET_ACCESS_KEY",
    );
    expect(failure).not.toContain(PLANTED);
  });
});
