// Runs a target the way Nx does, as its own process: run-target.ts under tsx's loader. One node
// process rather than the `tsx` wrapper and its child: the same code, one process start less.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WORKSPACE = fileURLToPath(new URL('../../../..', import.meta.url));

export interface ChildRun {
  child: ChildProcess;
  /** Signals the whole process group, so anything the target started goes too. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once no process of the group is left (a killed grandchild may outlive its parent briefly). */
  gone(): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function runTargetProcess(target: string, env: NodeJS.ProcessEnv, args: string[] = []): ChildRun {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tools/nx-plugin/src/run-target.ts', 'projects/infra', target, ...args],
    {
      cwd: WORKSPACE,
      env: { ...env, CI: 'true', NO_COLOR: '1' },
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
