// What the slices under dist/cluster/render/slices were made from, so that a target Nx never
// caches (provision, destroy) can read its slice instead of compiling the config again: loading
// cluster.config.ts starts Node's loader-hooks thread and esbuild's service, about 0.1 s of wall
// and more of CPU per layer, where the slice is one JSON file. cluster:render writes this record;
// a target trusts the slices only when the config it would load is the one recorded, every file
// that config read is byte for byte as it was, and each layer's field list is the same. Anything
// else (a config edited since, CLOUD_CONFIG pointing elsewhere, no render yet) means the config file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LAYER_CONFIG_FIELDS, SLICES_DIR } from './layer-config-fields';

export const SLICE_SOURCES_FILE = `${SLICES_DIR}/sources.json`;

interface SliceSources {
  version: 1;
  /** The config file cluster:render loaded, as an absolute path. */
  config: string;
  /** Every file that config read (itself and the local modules it imports): sha256 of its bytes. */
  files: Record<string, string>;
  /** The fields each layer's slice holds. */
  fields: typeof LAYER_CONFIG_FIELDS;
}

function digest(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The record cluster:render writes beside the slices it made from `config`, which read `files`. */
export function sliceSourcesJson(config: string, files: readonly string[]): string {
  const record: SliceSources = {
    version: 1,
    config,
    files: Object.fromEntries(files.map((file) => [file, digest(file) ?? 'absent'])),
    fields: LAYER_CONFIG_FIELDS,
  };
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Whether the slices under `root` were made from `config` as it is now (its path absolute). */
export function slicesMatchConfig(config: string, root: string = process.cwd()): boolean {
  let record: Partial<SliceSources>;
  try {
    record = JSON.parse(readFileSync(`${root}/${SLICE_SOURCES_FILE}`, 'utf8')) as Partial<SliceSources>;
  } catch {
    return false;
  }
  if (record.version !== 1 || record.config !== config || !record.files?.[config]) return false;
  if (JSON.stringify(record.fields) !== JSON.stringify(LAYER_CONFIG_FIELDS)) return false;
  return Object.entries(record.files).every(([file, recorded]) => digest(file) === recorded);
}
