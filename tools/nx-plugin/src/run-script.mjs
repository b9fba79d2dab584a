// Starts a TypeScript script from its bundle: `node tools/nx-plugin/src/run-script.mjs scripts/state.ts [args]`.
// The same bundle cache as the targets (target-bundle.mjs): built on first use, rebuilt whenever a
// source it was made from changes, loaded by plain Node in a fraction of what tsx takes.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scriptBundle } from './target-bundle.mjs';

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: run-script.mjs <script.ts> [args]');
  process.exit(1);
}
const workspaceRoot = resolve(import.meta.dirname, '../../..');
let bundle;
try {
  bundle = await scriptBundle(workspaceRoot, resolve(script), resolve(workspaceRoot, 'projects/cluster/src/index.ts'));
} catch (error) {
  // esbuild's own words name the file, line and column of what does not compile.
  console.error(error.message);
  process.exit(1);
}
// The script reads its arguments from process.argv.slice(2), as it would started by tsx.
process.argv = [process.argv[0], resolve(script), ...args];
await import(pathToFileURL(bundle.script).href);
