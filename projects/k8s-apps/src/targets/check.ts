// k8s-apps:check — what render wrote: every object against its schema and the layer's rules, the
// hot tier's capacity, the Flux dependsOn graph, no vault token in any file, and kubectl kustomize
// on every kustomization directory.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CloudError, type ConfigSource } from '@personal-cloud/cluster';
import { checkTree } from '../check/check-tree';
import { kustomizationDirectories, kustomizeBuildProblems } from '../check/kustomize-build';
import { loadConfig, readTokens, RENDER_DIR } from '../k8s-apps-inputs';
import { renderTree } from '../render/render-tree';

export async function readTree(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => {
    throw new CloudError(`${root} does not exist: run k8s-apps:render first`);
  });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
  return new Map(
    await Promise.all(files.sort().map(async (file) => [file, await readFile(join(root, file), 'utf8')] as const)),
  );
}

/** Checks the tree under `root`; throws one CloudError listing every problem. */
export async function checkRendered(
  root = RENDER_DIR,
  env: NodeJS.ProcessEnv = process.env,
  from: ConfigSource = 'config file',
): Promise<{ files: number; kustomizations: number }> {
  const config = await loadConfig(env, from);
  const files = await readTree(root);
  // What provision will create comes from the same modules that wrote the tree.
  const { secrets } = renderTree(config);
  const problems = checkTree({ files, config, tokens: await readTokens(env), secrets });
  const directories = kustomizationDirectories(files.keys());
  problems.push(...(await kustomizeBuildProblems(root, directories)));
  if (problems.length)
    throw new CloudError(
      `${root} fails ${problems.length} check${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  return { files: files.size, kustomizations: directories.length };
}

export async function run(): Promise<void> {
  const { files, kustomizations } = await checkRendered(RENDER_DIR, process.env, 'slice');
  console.log(`k8s-apps: ${files} files valid; ${kustomizations} kustomizations build; no vault token in any file.`);
}
