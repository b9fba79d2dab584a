import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CreateNodes, NxPlugin, PostTasksExecution, PreTasksExecution } from '@nx/devkit';
// The file alone, not the package: its index loads zod and the schemas into every nx command.
import { CONFIRM_DESTROY_ENV } from '../../../projects/cluster/src/destroy-confirmation';
import { keysIndexIsCurrent } from '../../../projects/vault/src/keys/keys-index';
import { noteTaskResults, watchRunOutcome } from './exit-code';
import { LAYER_TARGETS, type LayerProject, layerOrder, layerTargets, vaultFingerprints } from './layer-targets';
import { styleTargets } from './style-targets';
import { CONFIG_FINGERPRINT_ENV, configFingerprint } from './task-fingerprints';

/** A project is a layer when its project.json carries this tag; everything else about it is inferred. */
export const LAYER_TAG = 'layer';

/** The project files the plugin reads: each project's own folder under projects/ or tools/. */
const PROJECT_FILES = '{projects,tools}/*/project.json';

/** A project as its project.json describes it, with where it is. */
function readProject(workspaceRoot: string, file: string) {
  const json = JSON.parse(readFileSync(join(workspaceRoot, file), 'utf8')) as ProjectJson;
  return { ...json, file, root: dirname(file), name: json.name ?? basename(dirname(file)) };
}

/** The layers and their order, from the project files (for the pre-task hook, which Nx gives no graph). */
function layersOf(projects: ReturnType<typeof readProject>[]) {
  return layerOrder(projects.filter((project) => project.tags?.includes(LAYER_TAG)));
}

/** Every project gets `lint` and `format`; a layer also gets the five layer targets. */
export const createNodes: CreateNodes = [
  PROJECT_FILES,
  (files, _options, context) => {
    const projects = files.map((file) => readProject(context.workspaceRoot, file));
    const order = layersOf(projects);
    return projects.map(({ file, root, name }) => {
      const layer = order.get(name);
      const targets = { ...styleTargets(root), ...(layer ? layerTargets(root, layer) : {}) };
      return [file, { projects: { [root]: { targets } } }] as const;
    });
  },
];

interface ProjectJson extends Partial<LayerProject> {
  tags?: string[];
}

/**
 * The fingerprints the layers' cacheable targets hash as `{ env }` inputs (task-fingerprints.ts),
 * set here for every run, after the key step: Nx hashes after this hook, and passes the variables
 * on to the tasks. A few file reads, where each runtime input was a node process.
 */
function setTaskFingerprints(workspaceRoot: string): void {
  const files = ['projects', 'tools'].flatMap((parent) => {
    const dir = join(workspaceRoot, parent);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => `${parent}/${name}/project.json`)
      .filter((file) => existsSync(join(workspaceRoot, file)));
  });
  const secrets = secretsDir(workspaceRoot);
  const order = layersOf(files.map((file) => readProject(workspaceRoot, file)));
  Object.assign(process.env, vaultFingerprints(order, secrets), {
    [CONFIG_FINGERPRINT_ENV]: configFingerprint(workspaceRoot),
  });
}

/** The secrets repo, as the vault finds it (CLOUD_SECRETS_DIR, else ./.secrets), without loading the vault. */
function secretsDir(workspaceRoot: string): string {
  return resolve(workspaceRoot, process.env.CLOUD_SECRETS_DIR || '.secrets');
}

/**
 * Before Nx hashes anything: the destroy question, the sandbox's vault and the key step when the
 * run may reach a layer's targets, then the fingerprints every cacheable layer target hashes.
 */
export const preTasksExecution: PreTasksExecution = (_options, context) => {
  watchRunOutcome();
  prepareVault(context.workspaceRoot, context.argv);
  // Whatever was asked: any task Nx hashes in this run may be one whose key holds them.
  setTaskFingerprints(context.workspaceRoot);
};

/** The destroy question, the sandbox's vault and the key step, for a run that may reach a layer's targets. */
function prepareVault(workspaceRoot: string, argv: readonly string[]): void {
  // Only runs that may reach a layer's targets read the vault; `sandbox:serve` or `test` do not.
  const asked = argv.flatMap((arg) => arg.split(/[=,:]/));
  if (!asked.some((word) => [...LAYER_TARGETS, 'keys'].includes(word))) return;
  // The question first: a destroy that is not confirmed leaves everything as it was, a new vault included.
  if (asked.includes('destroy')) confirmDestroyOnce(workspaceRoot, argv);
  prepareSandboxVault(workspaceRoot);
  if (asked.some((word) => KEYED_TARGETS.includes(word))) ensureKeys(workspaceRoot);
}

/** The targets that read the layers' keys, directly or through the render they run after. */
const KEYED_TARGETS: readonly string[] = ['render', 'check', 'plan', 'provision'];

/**
 * The key step, before Nx hashes anything: a key it generates lands in the vault before the vault
 * fingerprints are taken, so the first run's renders are cached under the vault they read and the
 * second run is all cache hits (as a task in the graph, it wrote after the hashing). When the key
 * step's note says every key exists for this config, sources and vault, it is not run at all: a
 * few file reads, no tsx, no decryption, no write.
 */
function ensureKeys(workspaceRoot: string): void {
  const secrets = secretsDir(workspaceRoot);
  if (keysIndexIsCurrent(workspaceRoot, secrets, process.env)) return;
  const step = spawnSync(process.execPath, ['tools/nx-plugin/src/run-target.mjs', 'projects/vault', 'keys'], {
    cwd: workspaceRoot,
    stdio: 'inherit',
  });
  if (step.status !== 0) throw new Error('the key step (vault:keys) failed, so no layer ran; its message is above.');
}

/**
 * In the sandbox world the vault makes its identity and operator vars on first use. Doing that
 * before Nx hashes anything means the first render is cached under the vars it actually read,
 * so the second run is a cache hit. It costs one file check once the vault exists.
 */
function prepareSandboxVault(workspaceRoot: string): void {
  if (process.env.HCLOUD_TOKEN?.trim()) return;
  const secrets = secretsDir(workspaceRoot);
  if (existsSync(join(secrets, 'cluster', 'vars.json.age'))) return;
  spawnSync(process.execPath, ['tools/nx-plugin/src/run-target.mjs', 'projects/infra', 'prepare-sandbox'], {
    cwd: workspaceRoot,
    stdio: 'inherit',
  });
}

/**
 * A destroy run asks once, here, rather than once per layer: the answer (the cluster's name)
 * reaches every layer's destroy as CLOUD_CONFIRM_DESTROY, which Nx passes to the tasks it starts.
 * `--yes` (forwarded to each destroy) or that variable set beforehand (as CI does) skip the question.
 * Without a terminal to ask on, the run stops here, before any layer has torn anything down.
 */
function confirmDestroyOnce(workspaceRoot: string, argv: readonly string[]): void {
  if (argv.some((arg) => arg === '--yes' || arg === '--yes=true') || process.env[CONFIRM_DESTROY_ENV]?.trim()) return;
  // tsx registered in this node: the tsx command would start a second node, which has no fd 3.
  const asked = spawnSync(process.execPath, ['--import', 'tsx', 'tools/nx-plugin/src/confirm-destroy-cli.ts'], {
    cwd: workspaceRoot,
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
  });
  const cluster = asked.output?.[3]?.toString().trim();
  if (asked.status !== 0 || !cluster) throw new Error('destroy was not confirmed; nothing was destroyed.');
  process.env[CONFIRM_DESTROY_ENV] = cluster;
}

/** Gives the exit-code correction the tasks' results (see exit-code.ts). */
export const postTasksExecution: PostTasksExecution = (_options, context) => {
  noteTaskResults(Object.values(context.taskResults));
};

const plugin: NxPlugin = { name: 'personal-cloud/layers', createNodes, preTasksExecution, postTasksExecution };
export default plugin;
