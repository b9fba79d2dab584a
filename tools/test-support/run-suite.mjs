// `npm test`: the format and lint check, the type check, then every project's tests, timed. It
// prints the wall time at the end, so each change sees what it costs the budget (5 minutes on a 2-core machine, today's suite about
// half of it). With TEST_TIME_LIMIT_S set (CI sets 480), a suite still running at the limit is
// stopped and the run fails, so slow creep cannot pass unnoticed. Arguments go to vitest.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);
const BUDGET_S = 300;

const raw = process.env.TEST_TIME_LIMIT_S;
const limitS = raw === undefined || raw === '' ? undefined : Number(raw);
if (limitS !== undefined && !(Number.isInteger(limitS) && limitS > 0)) {
  console.error(`TEST_TIME_LIMIT_S must be a whole number of seconds above 0, not "${raw}".`);
  process.exit(2);
}

const started = Date.now();
const seconds = (from, to = Date.now()) => ((to - from) / 1000).toFixed(0);
let overLimit = false;

/** Runs a command in its own process group (so the limit can stop all of it); resolves with its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: true });
    const stop = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const onSignal = (signal) => stop(signal);
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    const left = limitS === undefined ? undefined : limitS * 1000 - (Date.now() - started);
    const timer =
      left === undefined
        ? undefined
        : setTimeout(
            () => {
              overLimit = true;
              stop('SIGKILL');
            },
            Math.max(0, left),
          );
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

// Format and lint first: a second, and it names every file that is off.
let code = await run(bin('biome'), ['ci', '.']);
const styleChecked = Date.now();
if (code === 0) code = await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
const typeChecked = Date.now();
if (code === 0 && !overLimit) code = await run(bin('vitest'), ['run', ...process.argv.slice(2)]);
const total = seconds(started);
console.log(
  `\nnpm test: ${total} s wall (format and lint ${seconds(started, styleChecked)} s, type check ${seconds(styleChecked, typeChecked)} s, tests ${seconds(typeChecked)} s); ` +
    `budget ${BUDGET_S} s on 2 cores${limitS === undefined ? '' : `, limit ${limitS} s`}.`,
);
if (overLimit) {
  console.error(
    `npm test ran past TEST_TIME_LIMIT_S=${limitS} s and was stopped: find the slow files in the output above and make them faster.`,
  );
  process.exit(1);
}
process.exit(code);
