// Runs one target of one project: `tsx tools/nx-plugin/src/run-target.ts <projectRoot> <target> [flags]`.
// A target is the module <projectRoot>/src/targets/<target>.ts. A layer that has no module for a
// target is not built yet, and says so in one line instead of pretending to work.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pc from 'picocolors';
import type { TargetModule } from '@personal-cloud/cluster';

async function main(argv: string[]): Promise<number> {
  const [projectRoot, target, ...rest] = argv;
  if (!projectRoot || !target) {
    console.error('usage: run-target.ts <projectRoot> <target> [flags]');
    return 2;
  }
  const project = basename(projectRoot);
  const file = resolve(projectRoot, 'src/targets', `${target}.ts`);
  if (!existsSync(file)) {
    console.log(`${project}:${target} — the ${project} layer is not built yet; nothing was done.`);
    return 0;
  }
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
    return 2;
  }
  await module.run(parsed);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    // Loaded only on failure: the runner starts for every target, most of which never fail.
    const { isCloudError } = await import('@personal-cloud/cluster');
    if (isCloudError(error)) console.error(pc.red(`error: ${error.message}`));
    else console.error(error);
    process.exit(1);
  },
);
