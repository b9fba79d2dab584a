// Gathers every layer's key specs: each project that has `src/key-specs.ts` contributes its
// `keySpecs(config)`. Found by file name, so the vault imports no layer and a new layer adds
// its keys without touching this step.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ClusterConfig, ensureTypeScriptImports } from '@personal-cloud/cluster';
import { VaultError } from '../vault-error';
import { KEY_SPECS_FILE, type KeySpec, type KeySpecSource } from './key-spec';

export interface LayerKeySpecs {
  project: string;
  specs: KeySpec[];
}

/** Every project under `projectsDir` with a key-specs file, in name order, with its specs for `config`. */
export async function collectKeySpecs(projectsDir: string, config: ClusterConfig): Promise<LayerKeySpecs[]> {
  const projects = (await readdir(projectsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const found: LayerKeySpecs[] = [];
  await ensureTypeScriptImports();
  for (const project of projects) {
    const file = join(projectsDir, project, KEY_SPECS_FILE);
    if (!existsSync(file)) continue;
    const module = (await import(pathToFileURL(file).href)) as { keySpecs?: KeySpecSource };
    if (typeof module.keySpecs !== 'function')
      throw new VaultError(
        `${file} does not export a keySpecs function; it must export \`keySpecs(config): KeySpec[]\`.`,
      );
    found.push({ project, specs: module.keySpecs(config) });
  }
  return found;
}
