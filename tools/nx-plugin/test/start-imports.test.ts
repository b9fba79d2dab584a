// What the layer plugin loads into every nx command, and what a layer's provision loads before it
// knows whether there is anything to do: every package it
// imports statically is evaluated at each start (zx alone costs about 50 ms of CPU), so a package
// needed only to act on the world is imported where it acts. esbuild's metafile gives the import
// graph of the target's sources, packages left out; the static closure from the target is what
// Node evaluates when the target's module loads.
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { WORKSPACE } from './support/workspace-copy';

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The npm packages a target's module imports statically, through any chain of its own sources. */
async function packagesLoadedAtStart(entry: string): Promise<string[]> {
  const { metafile } = (await build({
    absWorkingDir: WORKSPACE,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    tsconfig: 'tsconfig.base.json',
    outdir: 'unused',
    logLevel: 'silent',
  })) as { metafile: Metafile };
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (input: string) => {
    if (seen.has(input)) return;
    seen.add(input);
    for (const { path, kind, external } of metafile.inputs[input]?.imports ?? []) {
      if (kind !== 'import-statement') continue;
      if (!external) visit(path);
      else if (!path.startsWith('node:')) packages.add(packageName(path));
    }
  };
  visit(entry);
  return [...packages].sort();
}

describe('what loads at start', () => {
  it('the layer plugin loads no package: Nx loads it into every nx command', async () => {
    expect(await packagesLoadedAtStart('tools/nx-plugin/src/index.ts')).toEqual([]);
  });

  it.each(['hosts', 'builder'])('%s:provision loads zx only when it runs a command', async (layer) => {
    const packages = await packagesLoadedAtStart(`projects/${layer}/src/targets/provision.ts`);
    expect(packages).toContain('age-encryption');
    expect(packages).not.toContain('zx');
  });
});
