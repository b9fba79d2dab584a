import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout has a line matching `pattern`; rejects after `timeoutMs` or if the child exits first. */
  waitForLine(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a TypeScript file under node with tsx's loader, from the workspace root (so the path
 * aliases resolve). One process, not tsx's wrapper and a child, so a signal reaches the code itself.
 */
export function startTsx(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: WORKSPACE_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const waiter of [...waiters]) {
      const line = out.split('\n').find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern) {
      const found = out.split('\n').find((line) => pattern.test(line));
      if (found !== undefined) return Promise.resolve(found);
      // No timer: a child that neither prints the line nor exits meets the test's timeout.
      return new Promise((resolve, reject) => {
        void exited.then(({ code, signal }) =>
          reject(
            new Error(`the child exited (${code ?? signal}) before printing ${pattern}; stdout: ${out} stderr: ${err}`),
          ),
        );
        waiters.push({ pattern, resolve });
      });
    },
  };
}

/** A pid that certainly belonged to a process that has exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}
