// A layer's slice of the config as cluster:render writes it and the layer reads it back: exactly
// the listed fields, the vars.* references intact, and a missing or damaged file named in one
// sentence with the command that makes it.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configSlice,
  isVarRef,
  LAYER_CONFIG_FIELDS,
  loadLayerConfig,
  parseClusterConfig,
  SLICE_LAYERS,
  sliceFile,
  sliceJson,
  SLICE_SOURCES_FILE,
  slicesMatchConfig,
  sliceSourcesJson,
  vars,
  varPath,
} from '../src';
import { seedConfig } from './fixtures';

const config = parseClusterConfig({
  ...seedConfig(),
  operator: { sshPublicKey: vars.OPERATOR.ssh_public_key, address: vars.OPERATOR.address },
});

function workspaceWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pc-slices-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe('config slices', () => {
  it('holds each layer’s listed fields and no other', () => {
    for (const layer of SLICE_LAYERS)
      expect(Object.keys(configSlice(config, layer)).sort()).toEqual(
        LAYER_CONFIG_FIELDS[layer].filter((field) => config[field] !== undefined).sort(),
      );
    expect(configSlice(config, 'hosts')).not.toHaveProperty('apps');
  });

  it('reads back what cluster:render wrote, vars references included', () => {
    const root = workspaceWith(
      Object.fromEntries(SLICE_LAYERS.map((layer) => [sliceFile(layer), sliceJson(config, layer)])),
    );
    for (const layer of SLICE_LAYERS)
      expect(JSON.stringify(loadLayerConfig(layer, root))).toBe(JSON.stringify(configSlice(config, layer)));
    const { operator } = loadLayerConfig('infra', root);
    expect(isVarRef(operator.sshPublicKey) && varPath(operator.sshPublicKey)).toBe('OPERATOR.ssh_public_key');
  });

  it('names a missing slice and the command that makes it', () => {
    expect(() => loadLayerConfig('hosts', workspaceWith({}))).toThrow(
      'dist/cluster/render/slices/hosts.json does not exist: `npx nx run cluster:render` makes it from the config.',
    );
  });

  it('names a damaged slice in one sentence', () => {
    expect(() => loadLayerConfig('infra', workspaceWith({ [sliceFile('infra')]: '{"name": ' }))).toThrow(
      'dist/cluster/render/slices/infra.json is not valid JSON: `npx nx run cluster:render` makes it from the config.',
    );
    const stale = JSON.parse(sliceJson(config, 'infra'));
    delete stale.pools;
    expect(() => loadLayerConfig('infra', workspaceWith({ [sliceFile('infra')]: JSON.stringify(stale) }))).toThrow(
      /^dist\/cluster\/render\/slices\/infra\.json is not infra's slice of the config \(pools: .*\): `npx nx run cluster:render` makes it from the config\.$/,
    );
  });
});

describe('what the slices were made from', () => {
  /** A workspace whose slices cluster:render made from its cluster.config.ts, which imports ./operator.ts. */
  function rendered(): { root: string; config: string; operator: string } {
    const root = workspaceWith({ 'cluster.config.ts': 'export default {};\n', 'operator.ts': 'export {};\n' });
    const [config, operator] = [join(root, 'cluster.config.ts'), join(root, 'operator.ts')];
    mkdirSync(join(root, SLICE_SOURCES_FILE, '..'), { recursive: true });
    writeFileSync(join(root, SLICE_SOURCES_FILE), sliceSourcesJson(config, [config, operator]));
    return { root, config, operator };
  }

  it('lets a target read its slice while the config and every file it read are as they were', () => {
    const { root, config } = rendered();
    expect(slicesMatchConfig(config, root)).toBe(true);
  });

  it('sends it back to the config after an edit to the config or to a module it imports', () => {
    const first = rendered();
    writeFileSync(first.config, 'export default { phase: 2 };\n');
    expect(slicesMatchConfig(first.config, first.root)).toBe(false);
    const second = rendered();
    writeFileSync(second.operator, 'export const changed = 1;\n');
    expect(slicesMatchConfig(second.config, second.root)).toBe(false);
  });

  it('sends it back to the config for another config file, another field list, or no record', () => {
    const { root, config } = rendered();
    expect(slicesMatchConfig(join(root, 'operator.ts'), root)).toBe(false);
    const record = JSON.parse(readFileSync(join(root, SLICE_SOURCES_FILE), 'utf8'));
    writeFileSync(
      join(root, SLICE_SOURCES_FILE),
      JSON.stringify({ ...record, fields: { ...record.fields, infra: ['name'] } }),
    );
    expect(slicesMatchConfig(config, root)).toBe(false);
    expect(slicesMatchConfig(config, workspaceWith({}))).toBe(false);
  });
});
