import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CreateNodes, NxPlugin, PostTasksExecution, PreTasksExecution } from '@nx/devkit';
import { noteTaskResults, watchRunOutcome } from './exit-code';
import { LAYER_TARGETS, layerTargets } from './layer-targets';
import { styleTargets } from './style-targets';

/** A project is a layer when its project.json carries this tag; everything else about it is inferred. */
export const LAYER_TAG = 'layer';

/** Every project gets `lint` and `format`; a layer also gets the five layer targets. */
export const createNodes: CreateNodes = [
  '{projects,tools}/*/project.json',
  (files, _options, context) =>
    files.map((file) => {
      const project = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')) as { tags?: string[] };
      const root = dirname(file);
      const targets = { ...styleTargets(root), ...(project.tags?.includes(LAYER_TAG) ? layerTargets(root) : {}) };
      return [file, { projects: { [root]: { targets } } }] as const;
    }),
];

/**
 * In the sandbox world the vault makes its identity and operator vars on first use. Doing that
 * before Nx hashes anything means the first render is cached under the vars it actually read,
 * so the second run is a cache hit. It costs one file check once the vault exists.
 */
export const preTasksExecution: PreTasksExecution = (_options, context) => {
  watchRunOutcome();
  if (process.env.HCLOUD_TOKEN?.trim()) return;
  // Only runs that may reach a layer's targets read the vault; `sandbox:serve` or `test` do not.
  const asked = context.argv.flatMap((arg) => arg.split(/[=,:]/));
  if (!asked.some((word) => [...LAYER_TARGETS, 'keys'].includes(word))) return;
  const secrets = resolve(context.workspaceRoot, process.env.CLOUD_SECRETS_DIR || '.secrets');
  if (existsSync(join(secrets, 'cluster', 'vars.json.age'))) return;
  spawnSync(join(context.workspaceRoot, 'node_modules/.bin/tsx'), ['projects/infra/src/world/prepare-sandbox-cli.ts'], {
    cwd: context.workspaceRoot,
    stdio: 'inherit',
  });
};

/** Gives the exit-code correction the tasks' results (see exit-code.ts). */
export const postTasksExecution: PostTasksExecution = (_options, context) => {
  noteTaskResults(Object.values(context.taskResults));
};

const plugin: NxPlugin = { name: 'personal-cloud/layers', createNodes, preTasksExecution, postTasksExecution };
export default plugin;
