// When a target must stop: the operator interrupted it, or nothing is left to report to.
//
// Nx (run-commands) starts each target in a session of its own (`detached`), with stdout and
// stderr piped back to the nx process. So a Ctrl-C at the terminal reaches nx, not the target:
// nx answers SIGINT, SIGTERM and SIGHUP by sending the target SIGTERM. If nx itself is killed
// outright (SIGKILL, a crash), no signal ever comes: the target notices that the process that
// started the run (NX_INVOCATION_ROOT_PID, which Nx sets for every task) is gone, or that its
// output pipe is broken, and stops the same way.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How often to look whether nx is still alive: a stop this late is still at a safe point. */
const PARENT_POLL_MS = 500;

export interface Interruption {
  /** Aborted when the run must stop; its reason says why, in words for the operator. */
  signal: AbortSignal;
  /** Stops listening; call when the run is over. */
  dispose(): void;
}

/** Whether a process is alive (a zombie counts as gone once reaped; EPERM means it exists). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The pid whose death means the run has nobody to report to: nx's root process when Nx started
 * us, else our parent. Undefined when that is ourselves or unknown.
 */
export function watchedParent(env: NodeJS.ProcessEnv, self = process.pid, parent = process.ppid): number | undefined {
  const root = Number(env.NX_INVOCATION_ROOT_PID);
  const pid = Number.isInteger(root) && root > 0 ? root : parent;
  return pid > 1 && pid !== self ? pid : undefined;
}

/**
 * Listens for every way a run can be interrupted. `onSecond` runs when a second interruption
 * arrives while the first is still being handled: the operator insists, so the caller exits now.
 */
export function watchForInterruption(onSecond: () => void, env: NodeJS.ProcessEnv = process.env): Interruption {
  const controller = new AbortController();
  const stop = (reason: string) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  // A second signal is the operator insisting; nx being gone is said many times (each poll, each
  // failed write) and is no reason to give up the safe point.
  const onSignal = (name: string) => (controller.signal.aborted ? onSecond() : stop(`${name} received`));
  const handlers = SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);

  const parent = watchedParent(env);
  const poll =
    parent === undefined
      ? undefined
      : setInterval(() => {
          if (!isAlive(parent)) stop(`the nx process (pid ${parent}) that started this run is gone`);
        }, PARENT_POLL_MS).unref();

  // With nx gone, a write to its pipe fails with EPIPE; unhandled, that would crash the run
  // before it reached a safe point. Later writes go nowhere, which is all they can do.
  const onBrokenPipe = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stop('the output pipe to nx is closed');
  };
  process.stdout.on('error', onBrokenPipe);
  process.stderr.on('error', onBrokenPipe);

  return {
    signal: controller.signal,
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
      clearInterval(poll);
    },
  };
}
