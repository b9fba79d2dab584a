// Runs a target the way Nx does, as its own process: run-target.ts under tsx's loader. One node
// process rather than the `tsx` wrapper and its child: the same code, one process start less.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadClusterConfig, sliceFile, sliceJson } from '@personal-cloud/cluster';

export const WORKSPACE = fileURLToPath(new URL('../../../..', import.meta.url));

export interface ChildRun {
  child: ChildProcess;
  /** Signals the whole process group, so anything the target started goes too. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once no process of the group is left (a killed grandchild may outlive its parent briefly). */
  gone(): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * `cwd` is where the target finds and writes dist/ (this workspace unless a test gives it a folder
 * of its own, as sliceWorkspace makes); the code and tsconfig are this workspace's either way.
 */
export function runTargetProcess(
  target: string,
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  cwd: string = WORKSPACE,
): ChildRun {
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(join(WORKSPACE, 'node_modules/tsx/dist/loader.mjs')).href,
      join(WORKSPACE, 'tools/nx-plugin/src/run-target.ts'),
      join(WORKSPACE, 'projects/infra'),
      target,
      ...args,
    ],
    {
      cwd,
      env: { ...env, CI: 'true', NO_COLOR: '1', TSX_TSCONFIG_PATH: join(WORKSPACE, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const alive = () => {
    try {
      process.kill(-child.pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  const gone = async () => {
    await done;
    while (alive()) await new Promise((r) => setTimeout(r, 5));
  };
  return { child, done, kill: (signal) => process.kill(-child.pid!, signal), gone };
}

/**
 * A folder where infra's render, check and plan find their slice of the config made from `env`'s
 * config file, as cluster:render makes it before them under Nx: a test's config never touches
 * this workspace's dist/.
 */
export async function sliceWorkspace(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const file = join(dir, sliceFile('infra'));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, sliceJson(await loadClusterConfig(env.CLOUD_CONFIG), 'infra'));
  return dir;
}
