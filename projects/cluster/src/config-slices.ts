// Each layer's slice of the config: the fields layer-config-fields.ts lists for it. cluster:render
// writes each layer's slice to dist/cluster/render/slices/<layer>.json, and a layer's render, check and
// plan read that file and hash it (tools/nx-plugin/src/layer-targets.ts), not cluster.config.ts:
// an edit to a field a layer does not read leaves that layer's cache keys as they were.
//
// The guard is the type: a layer's code holds a `LayerConfig<'hosts'>`, a Pick of these fields,
// so reading any other field does not compile, and the slice it loads holds nothing else at run
// time. A field added here is one the layer's key covers from then on.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterConfigSchema, type ClusterConfig } from './config-schema';
import { CloudError } from './errors';
import { configPath, loadClusterConfig } from './load-config';
import { LAYER_CONFIG_FIELDS, type SliceLayer, sliceFile } from './layer-config-fields';
import { slicesMatchConfig } from './slice-sources';
import { varRef } from './vars';

export { LAYER_CONFIG_FIELDS, SLICE_LAYERS, SLICES_DIR, sliceFile, type SliceLayer } from './layer-config-fields';

/** What a layer may read of the config. */
export type LayerConfig<L extends SliceLayer> = Pick<ClusterConfig, (typeof LAYER_CONFIG_FIELDS)[L][number]>;

/** The layer's fields of a validated config, and no other. */
export function configSlice<L extends SliceLayer>(config: ClusterConfig, layer: L): LayerConfig<L> {
  const slice: Record<string, unknown> = {};
  for (const field of LAYER_CONFIG_FIELDS[layer]) if (config[field] !== undefined) slice[field] = config[field];
  return slice as LayerConfig<L>;
}

/** A slice as cluster:render writes it: `vars.*` references become `${vars.X.y}` through their toJSON. */
export function sliceJson(config: ClusterConfig, layer: SliceLayer): string {
  return `${JSON.stringify(configSlice(config, layer), null, 2)}\n`;
}

const VAR_TEXT = /^\$\{vars\.([A-Za-z0-9_.-]+)\}$/;

/**
 * The layer's slice as cluster:render wrote it under `root`, checked against the config's schema
 * for those fields (the `vars.*` references revived), so a damaged or stale file is named rather
 * than half read.
 */
export function loadLayerConfig<L extends SliceLayer>(layer: L, root: string = process.cwd()): LayerConfig<L> {
  const file = sliceFile(layer);
  const remedy = `\`npx nx run cluster:render\` makes it from the config`;
  if (!existsSync(join(root, file))) throw new CloudError(`${file} does not exist: ${remedy}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(root, file), 'utf8'), (_key, value) => {
      const ref = typeof value === 'string' ? VAR_TEXT.exec(value) : null;
      return ref ? varRef(ref[1]!) : value;
    });
  } catch {
    throw new CloudError(`${file} is not valid JSON: ${remedy}.`);
  }
  const mask = Object.fromEntries(LAYER_CONFIG_FIELDS[layer].map((field) => [field, true])) as Partial<
    Record<keyof ClusterConfig, true>
  >;
  const result = clusterConfigSchema.pick(mask).safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CloudError(
      `${file} is not ${layer}'s slice of the config (${issue.path.join('.') || 'its fields'}: ${issue.message}): ${remedy}.`,
    );
  }
  return result.data as LayerConfig<L>;
}

/**
 * Where a layer target takes its config from: its slice (render, check and plan, whose cache key
 * is that slice) or the config file, cut to the same slice (provision and the other targets Nx
 * never caches, and tests that hand a target a config of their own through CLOUD_CONFIG). The
 * config file's slice comes from the slice file when cluster:render made it from that very
 * config (slice-sources.ts): the same fields, without compiling the config again.
 */
export type ConfigSource = 'slice' | 'config file';

export async function readLayerConfig<L extends SliceLayer>(
  layer: L,
  from: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LayerConfig<L>> {
  if (from === 'slice' || slicesMatchConfig(configPath(env))) return loadLayerConfig(layer);
  return configSlice(await loadClusterConfig(configPath(env)), layer);
}
