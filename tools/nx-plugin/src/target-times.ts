// With CLOUD_TARGET_TIMES naming a file, every target appends one JSON line to it: when its
// process started, when its module was ready, and when its run() began and ended (ms since the
// epoch). `npm run bench:graph` reads them to tell the layers' own work from the cost of starting
// a target and of Nx itself. Unset, nothing is measured or written.
import { appendFileSync } from 'node:fs';

export const TARGET_TIMES_ENV = 'CLOUD_TARGET_TIMES';

export interface TargetTimes {
  /** `<project>:<target>`. */
  task: string;
  /** The process's start. */
  started: number;
  /** The target's module loaded (from the bundle, or from source). */
  loaded: number;
  /** run() called. */
  ran: number;
  /** run() returned or threw. */
  ended: number;
}

/** Now, in ms since the epoch, on the same clock as the process's start. */
export const epochNow = () => performance.timeOrigin + performance.now();

export function recordTargetTimes(times: TargetTimes, env: NodeJS.ProcessEnv = process.env): void {
  const file = env[TARGET_TIMES_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(times)}\n`);
}
