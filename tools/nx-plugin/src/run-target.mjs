// Starts one target: `node tools/nx-plugin/src/run-target.mjs <projectRoot> <target> [flags]`.
// Plain JavaScript, so that a target costs no TypeScript compiler until it has code to run: a
// layer with no module for a target is not built yet, and says so in one line (Node starts in a
// tenth of the time tsx does). Otherwise tsx is registered in this very process (no second
// process, as the tsx command would start) and run-target.ts takes over.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const [projectRoot, target] = process.argv.slice(2);
if (projectRoot && target && !existsSync(resolve(projectRoot, 'src/targets', `${target}.ts`))) {
  const project = basename(projectRoot);
  console.log(`${project}:${target} — the ${project} layer is not built yet; nothing was done.`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./run-target.ts');
}
