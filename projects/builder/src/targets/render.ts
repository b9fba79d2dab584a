// builder:render — dist/builder/render/: Oxygen's builder container, its units, its k3s agent
// settings and the operator's machines file and nix.conf snippet; builder.json says what is there;
// host-nix.json holds what every host's Nix gets from the builder, for hosts:render.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadBuilderInputs } from '../builder-inputs';
import { hostNix } from '../hosts/host-nix';
import { HOST_NIX_FILE } from '../hosts/host-nix-file';
import { missingBuilderVarsSentence } from '../render/builder-facts';
import { renderBuilder, type RenderedBuilder } from '../render/render-builder';

export const RENDER_DIR = 'dist/builder/render';
export const MANIFEST = 'builder.json';

export interface BuilderManifest {
  summary: string;
  files: string[];
  missingVars: string[];
  buildMachines: RenderedBuilder['buildMachines'];
}

export async function run(): Promise<void> {
  const { config, nodes, vars, nixpkgs } = await loadBuilderInputs(process.env, 'slice');
  const rendered = renderBuilder({ config, nodes, vars, nixpkgs });
  await writeRendered(RENDER_DIR, rendered);
  await writeFile(HOST_NIX_FILE, `${JSON.stringify(hostNix(config, nodes, vars), null, 2)}\n`);
  console.log(`builder: ${rendered.summary}`);
  for (const file of Object.keys(rendered.files)) console.log(`  ${join(RENDER_DIR, file)}`);
  if (rendered.missingVars.length)
    console.log(`builder: not rendered: ${missingBuilderVarsSentence(rendered.missingVars)}`);
}

/** Replaces the folder's contents, so no file of an earlier render outlives the config that made it. */
export async function writeRendered(dir: string, rendered: RenderedBuilder): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(rendered.files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  for (const file of rendered.executables) await chmod(join(dir, file), 0o755);
  const manifest: BuilderManifest = {
    summary: rendered.summary,
    files: Object.keys(rendered.files),
    missingVars: rendered.missingVars,
    buildMachines: rendered.buildMachines,
  };
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** What the last render wrote: its manifest and each file's text by its path under the folder. */
export async function readRendered(
  dir: string = RENDER_DIR,
): Promise<{ manifest: BuilderManifest; files: Record<string, string> }> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as BuilderManifest;
  const files = Object.fromEntries(
    await Promise.all(manifest.files.map(async (f) => [f, await readFile(join(dir, f), 'utf8')] as const)),
  );
  return { manifest, files };
}
