// kubectl kustomize, the field's own tool, over the whole rendered tree.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { kustomizationDirectories, kustomizeBuildProblems } from '../src/check/kustomize-build';
import { renderTree } from '../src/render/render-tree';
import { writeTree } from '../src/targets/render';
import { shippedConfig } from './fixtures';

describeWithTool('kubectl', 'kubectl kustomize on the rendered tree', () => {
  const tree = renderTree(shippedConfig());
  const directories = kustomizationDirectories(tree.files.keys());
  let root: string;
  beforeAll(async () => {
    root = join(await mkdtemp(join(tmpdir(), 'k8s-apps-kustomize-')), 'render');
    await writeTree(root, tree.files);
  });
  afterAll(() => rm(join(root, '..'), { recursive: true, force: true }));

  it('builds every kustomization directory, from the cluster directory down to each app and restore', async () => {
    expect(directories).toContain('clusters/personal-cloud');
    expect(directories).toContain('apps/website');
    expect(directories).toContain('restore/eth-node');
    expect(directories).toHaveLength(17);
    expect(await kustomizeBuildProblems(root, directories)).toEqual([]);
  });

  it('names a directory that does not build', async () => {
    await writeFile(
      join(root, 'apps/website/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n',
    );
    const problems = await kustomizeBuildProblems(root, ['apps/website', 'apps/eth-node']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^apps\/website: kubectl kustomize cannot build it: .*missing\.yaml/);
  });
});
