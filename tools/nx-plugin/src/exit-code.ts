// Why a failing chain used to exit 130, and the correction.
//
// Nx 23.3's run-one and run-many end with `completed ? (failed ? 1 : 0) : 130`, where
// `completed` (didCommandComplete in nx/src/tasks-runner/run-command.js) means "every discrete
// task has a result". But the orchestrator never reports a `skipped` task to the life cycles
// (completeTasks passes only non-skipped tasks to endTasks, and the results are collected there).
// So as soon as one task fails and a task that depends on it is skipped, Nx takes the run for an
// interrupted one and exits 130, the code for Ctrl-C. It is not the output style: static, stream
// and dynamic-legacy all do it; a single failing task with no dependents exits 1.
//
// The plugin's task hooks see both ends: which signals nx itself received, and each task's
// result. When nx is about to exit 130 although nothing was interrupted, the run failed, and it
// exits 1 instead. An interrupt (a signal to nx, or a task that ended as interrupted) keeps 130.

/** What a task's exit code says about how it ended: 128 + SIGHUP, SIGINT, SIGTERM. */
const INTERRUPTED_CODES = new Set([129, 130, 143]);
const NX_INTERRUPTED = 130;
const FAILED = 1;

export interface RunOutcome {
  /** A signal (SIGINT, SIGTERM, SIGHUP) reached nx itself during the run. */
  signalled: boolean;
  /** The tasks' results as Nx reported them; undefined when the run ended before they came. */
  results?: readonly { status: string; code?: number }[];
}

/** The exit code the run deserves, given the one Nx chose. */
export function correctedExitCode(nxCode: number, outcome: RunOutcome): number {
  if (nxCode !== NX_INTERRUPTED || outcome.signalled || !outcome.results) return nxCode;
  const interrupted = outcome.results.some(
    (r) => r.status === 'stopped' || (r.code !== undefined && INTERRUPTED_CODES.has(r.code)),
  );
  if (interrupted) return nxCode;
  return outcome.results.some((r) => r.status === 'failure') ? FAILED : nxCode;
}

const outcome: RunOutcome = { signalled: false };
let installed = false;

/**
 * Starts watching this nx process; call from preTasksExecution. Only the process that runs the
 * tasks can be corrected, which is why nx.json keeps the daemon off (with it, the task hooks run
 * in the daemon, not in the process that exits).
 */
export function watchRunOutcome(): void {
  if (installed) return;
  installed = true;
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const note = () => {
      outcome.signalled = true;
      // Nx's own handlers stop the tasks and exit. Before they are installed, a listener would
      // swallow the signal's default action: then let the signal do what it would have done.
      if (process.listenerCount(name) === 1) {
        process.off(name, note);
        process.kill(process.pid, name);
      }
    };
    process.on(name, note);
  }
  process.on('exit', (code) => {
    const corrected = correctedExitCode(code, outcome);
    if (corrected !== code) process.exitCode = corrected;
  });
}

/** Records the tasks' results; call from postTasksExecution. */
export function noteTaskResults(results: RunOutcome['results']): void {
  outcome.results = results;
}
