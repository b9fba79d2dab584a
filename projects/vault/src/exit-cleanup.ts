// Synchronous cleanups that must run however the process ends short of SIGKILL: on a normal
// exit, and on SIGINT, SIGTERM or SIGHUP. Files that hold decrypted secrets and the vault lock
// register here, so an interrupted run leaves neither behind.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const cleanups = new Set<() => void>();
let installed = false;

/** Registers `cleanup` until the returned function is called; it runs at most once. */
export function onExitOrSignal(cleanup: () => void): () => void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cleanups.delete(once);
    cleanup();
  };
  cleanups.add(once);
  install();
  return () => {
    done = true;
    cleanups.delete(once);
  };
}

function runCleanups(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // One failed cleanup must not stop the others; the sweep on the next run catches what is left.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  // Another handler (a layer that stops at a safe point) owns this shutdown; it ends the process
  // itself, and the exit hook cleans up then. Removing files now would pull them from under it.
  if (process.listenerCount(signal) > 1) return;
  runCleanups();
  for (const name of SIGNALS) process.off(name, onSignal);
  installed = false;
  process.off('exit', runCleanups);
  // Die of the signal, as the process would have without us: the shell sees 128 + its number.
  process.kill(process.pid, signal);
}
