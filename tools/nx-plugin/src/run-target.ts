// Runs one target of one project: the module <projectRoot>/src/targets/<target>.ts, with its flags
// checked. run-target.mjs starts it from a bundle (target-bundle.mjs); run directly (`node --import
// tsx run-target.ts <projectRoot> <target>`), it loads the module from source.
//
// Exit codes: 0 done, 1 failed (bad flag, bad config, an error), 130 interrupted. An interrupted
// target gets an aborted `stop` signal; provision and destroy stop at a safe point on it (no new
// step starts, the state is flushed, the vault lock released). A second interruption exits at once.
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import type { TargetModule } from '@personal-cloud/cluster';
// The file alone, not the package: the runner starts for every target and the index loads zod.
import { RUN_WIDE_OPTIONS } from '../../../projects/cluster/src/target-module';
import { watchForInterruption } from './interruption';
import { epochNow, recordTargetTimes } from './target-times';

const FAILED = 1;
/** 128 + SIGINT: what shells and Nx report for an interrupted command. */
const INTERRUPTED = 130;

/** Imports a target's module: from source, or from the bundle the launcher built. */
export type LoadTarget = (file: string) => Promise<TargetModule>;

const fromSource: LoadTarget = async (file) => (await import(pathToFileURL(file).href)) as TargetModule;

async function main(argv: string[], stop: AbortSignal, load: LoadTarget): Promise<number> {
  const [projectRoot, target, ...rest] = argv;
  if (!projectRoot || !target) {
    console.error('usage: run-target.ts <projectRoot> <target> [flags]');
    return FAILED;
  }
  const project = basename(projectRoot);
  const file = resolve(projectRoot, 'src/targets', `${target}.ts`);
  const module = await load(file);
  const loaded = epochNow();
  const options = { ...RUN_WIDE_OPTIONS[target], ...module.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    const allowed = Object.keys(options).map((name) => `--${name}`);
    // node:util words its complaints for programmers; name the flag and what is allowed instead.
    const flag = (error as Error).message.match(/'(-[^']*)'/)?.[1];
    const problem = flag ? `does not take ${flag}` : (error as Error).message;
    console.error(pc.red(`${project}:${target} ${problem}; allowed: ${allowed.join(', ') || 'no flags'}.`));
    return FAILED;
  }
  const task = `${project}:${target}`;
  const ran = epochNow();
  try {
    await module.run({ ...parsed, stop });
  } finally {
    recordTargetTimes({ task, started: performance.timeOrigin, loaded, ran, ended: epochNow() });
  }
  return 0;
}

/** Runs the target that `argv` ([projectRoot, target, ...flags]) names, then exits with its code. */
export function startTarget(argv: string[], load: LoadTarget = fromSource): void {
  const interruption = watchForInterruption(() => process.exit(INTERRUPTED));
  const { signal } = interruption;

  main(argv, signal, load).then(
    (code) => {
      interruption.dispose();
      process.exit(signal.aborted ? INTERRUPTED : code);
    },
    async (error: unknown) => {
      interruption.dispose();
      if (signal.aborted) {
        console.error(
          pc.yellow(
            `interrupted (${signal.reason}): stopped at a safe point; what was done is recorded, and a rerun continues from there.`,
          ),
        );
        process.exit(INTERRUPTED);
      }
      // Loaded only on failure: the runner starts for every target, most of which never fail.
      const { isCloudError } = await import('@personal-cloud/cluster');
      if (isCloudError(error)) console.error(pc.red(`error: ${error.message}`));
      else console.error(error);
      process.exit(FAILED);
    },
  );
}

// Started as a script rather than imported from the launcher's bundle.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) startTarget(process.argv.slice(2));
