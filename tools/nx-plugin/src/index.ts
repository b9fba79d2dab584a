import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CreateNodes, NxPlugin } from '@nx/devkit';
import { layerTargets } from './layer-targets';

/** A project is a layer when its project.json carries this tag; everything else about it is inferred. */
export const LAYER_TAG = 'layer';

export const createNodes: CreateNodes = [
  'projects/*/project.json',
  (files, _options, context) =>
    files.flatMap((file) => {
      const project = JSON.parse(readFileSync(join(context.workspaceRoot, file), 'utf8')) as { tags?: string[] };
      if (!project.tags?.includes(LAYER_TAG)) return [];
      const root = dirname(file);
      return [[file, { projects: { [root]: { targets: layerTargets(root) } } }] as const];
    }),
];

const plugin: NxPlugin = { name: 'personal-cloud/layers', createNodes };
export default plugin;
