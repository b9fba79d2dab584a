// Starts one target: `node tools/nx-plugin/src/run-target.mjs <projectRoot> <target> [flags]`.
// Plain JavaScript, so that starting costs no TypeScript compiler: the target runs from a bundle
// of its project (target-bundle.mjs), built on first use and rebuilt whenever a source it was
// made from changes; plain Node loads it in a fraction of what tsx takes to load the sources.
// A layer with no module for the target is not built yet, and says so in one line.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { targetBundle } from './target-bundle.mjs';

const [projectRoot, target] = process.argv.slice(2);
if (!projectRoot || !target) {
  console.error('usage: run-target.mjs <projectRoot> <target> [flags]');
  process.exit(1);
}
if (!existsSync(resolve(projectRoot, 'src/targets', `${target}.ts`))) {
  const project = basename(projectRoot);
  console.log(`${project}:${target} — the ${project} layer is not built yet; nothing was done.`);
  process.exit(0);
}
// The workspace this file belongs to; the target itself runs in the working directory Nx gives it.
const workspaceRoot = resolve(import.meta.dirname, '../../..');
let bundle;
try {
  bundle = await targetBundle(
    workspaceRoot,
    projectRoot,
    target,
    resolve(import.meta.dirname, 'run-target.ts'),
    resolve(workspaceRoot, 'projects/cluster/src/index.ts'),
  );
} catch (error) {
  // esbuild's own words name the file, line and column of what does not compile.
  console.error(error.message);
  process.exit(1);
}
const { startTarget } = await import(pathToFileURL(bundle.runner).href);
startTarget(process.argv.slice(2), () => import(pathToFileURL(bundle.target).href));
