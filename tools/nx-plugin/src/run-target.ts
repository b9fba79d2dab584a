// Runs one target of one project, started by run-target.mjs (which answers for layers not built
// yet): the module <projectRoot>/src/targets/<target>.ts, with its flags checked.
//
// Exit codes: 0 done, 1 failed (bad flag, bad config, an error), 130 interrupted. An interrupted
// target gets an aborted `stop` signal; provision and destroy stop at a safe point on it (no new
// step starts, the state is flushed, the vault lock released). A second interruption exits at once.
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import type { TargetModule } from '@personal-cloud/cluster';
import { watchForInterruption } from './interruption';

const FAILED = 1;
/** 128 + SIGINT: what shells and Nx report for an interrupted command. */
const INTERRUPTED = 130;

async function main(argv: string[], stop: AbortSignal): Promise<number> {
  const [projectRoot, target, ...rest] = argv;
  if (!projectRoot || !target) {
    console.error('usage: run-target.ts <projectRoot> <target> [flags]');
    return FAILED;
  }
  const project = basename(projectRoot);
  const file = resolve(projectRoot, 'src/targets', `${target}.ts`);
  const module = (await import(pathToFileURL(file).href)) as TargetModule;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: module.options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    const allowed = Object.keys(module.options ?? {}).map((name) => `--${name}`);
    // node:util words its complaints for programmers; name the flag and what is allowed instead.
    const flag = (error as Error).message.match(/'(-[^']*)'/)?.[1];
    const problem = flag ? `does not take ${flag}` : (error as Error).message;
    console.error(pc.red(`${project}:${target} ${problem}; allowed: ${allowed.join(', ') || 'no flags'}.`));
    return FAILED;
  }
  await module.run({ ...parsed, stop });
  return 0;
}

const interruption = watchForInterruption(() => process.exit(INTERRUPTED));
const { signal } = interruption;

main(process.argv.slice(2), signal).then(
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
