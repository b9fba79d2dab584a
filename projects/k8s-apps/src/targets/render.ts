// k8s-apps:render — the GitOps tree (Flux layout, platform, apps, backups) under dist/k8s-apps/render.
// Everything is computed before the first write, and the new tree replaces the old one whole.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { treeObjects } from '../check/tree-objects';
import { loadConfig, RENDER_DIR } from '../k8s-apps-inputs';
import { renderTree } from '../render/render-tree';

export async function writeTree(root: string, files: ReadonlyMap<string, string>): Promise<void> {
  const staging = `${root}.staging`;
  await rm(staging, { recursive: true, force: true });
  for (const [file, text] of files) {
    await mkdir(dirname(join(staging, file)), { recursive: true });
    await writeFile(join(staging, file), text);
  }
  await rm(root, { recursive: true, force: true });
  await rename(staging, root);
}

export async function run(): Promise<void> {
  const config = await loadConfig(process.env, 'slice');
  const tree = renderTree(config);
  await writeTree(RENDER_DIR, tree.files);
  console.log(
    `k8s-apps: ${tree.files.size} files (${treeObjects(tree.files).length} objects) under ${RENDER_DIR}; ${tree.secrets.length} Secrets to create at deploy time.`,
  );
}
