import { basename } from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
// The file alone, not the package: its index loads zod and the schemas into every nx command.
import { LAYER_CONFIG_FIELDS, sliceFile, type SliceLayer } from '../../../projects/cluster/src/layer-config-fields';
import { vaultFingerprint, vaultFingerprintEnv } from './task-fingerprints';

/** The five targets every infrastructure layer has, in the order a run goes through them. */
export const LAYER_TARGETS = ['render', 'check', 'plan', 'provision', 'destroy'] as const;
export type LayerTarget = (typeof LAYER_TARGETS)[number];

const RUNNER = 'node tools/nx-plugin/src/run-target.mjs';

/**
 * Where a layer's targets reach: another vault, sandbox or Hetzner endpoint means other inputs,
 * so each is part of the key. The config is not: a layer reads its slice of it (configInputs).
 */
const WORLD_INPUTS = [
  { env: 'CLOUD_SECRETS_DIR' },
  { env: 'SANDBOX_DIR' },
  { env: 'HCLOUD_ENDPOINT' },
  { env: 'HCLOUD_TOKEN' },
];

/** A layer as its project.json describes it. */
export interface LayerProject {
  name: string;
  implicitDependencies?: string[];
  metadata?: {
    /** Vault slices the layer writes besides its `state.layers.<name>` (e.g. `tokens.kubeconfig`). */
    vaultWrites?: string[];
    /** Output files of the layers below it that its render, check and plan read (hosts: builder's host-nix.json). */
    readsOutputs?: string[];
  };
}

/** Where a layer sits in the order, and what of the layers below it it reads. */
export interface LayerOrder {
  /** Output files of the layers below it that it reads (its project.json's metadata.readsOutputs). */
  readsOutputs?: readonly string[];
  /** The layers built directly on it (their implicitDependencies name it). */
  above: readonly string[];
  /** The vault slices that the layers built on it, at any distance, write; it never reads them. */
  writtenAbove: readonly string[];
}

/**
 * Each layer's place, from the layers' own `implicitDependencies`: the one place the layer order
 * is written, so destroy's reverse order and the vault slices a layer reads follow provision's order.
 */
export function layerOrder(layers: readonly LayerProject[]): Map<string, LayerOrder> {
  const above = new Map(layers.map((layer) => [layer.name, [] as string[]]));
  for (const layer of layers) for (const below of layer.implicitDependencies ?? []) above.get(below)?.push(layer.name);
  const writes = new Map(
    layers.map((layer) => [layer.name, [`state.layers.${layer.name}`, ...(layer.metadata?.vaultWrites ?? [])]]),
  );
  const allAbove = (name: string, seen = new Set<string>()): Set<string> => {
    for (const upper of above.get(name) ?? []) if (!seen.has(upper)) allAbove(upper, seen.add(upper));
    return seen;
  };
  return new Map(
    layers.map((layer) => [
      layer.name,
      {
        readsOutputs: layer.metadata?.readsOutputs ?? [],
        above: above.get(layer.name) ?? [],
        writtenAbove: [...allAbove(layer.name)].flatMap((upper) => writes.get(upper) ?? []).sort(),
      },
    ]),
  );
}

/**
 * What a layer may read from the vault, as a fingerprint of slices (see task-fingerprints.ts):
 * everything but what the layers built on it write, so their writes never touch its cache keys.
 * The plugin's pre-task hook sets the variable (vaultFingerprints).
 */
function vaultInput(layer: string): { env: string } {
  return { env: vaultFingerprintEnv(layer) };
}

/** Each layer's vault fingerprint, by the variable its targets hash. */
export function vaultFingerprints(order: Map<string, LayerOrder>, secretsDir: string): Record<string, string> {
  return Object.fromEntries(
    [...order].map(([layer, { writtenAbove }]) => [
      vaultFingerprintEnv(layer),
      vaultFingerprint(secretsDir, writtenAbove),
    ]),
  );
}

/**
 * What a layer reads of the config and of the layers below it, as files the tasks it depends on
 * wrote: its slice of the config (cluster:render's output, reached through ^render) and the
 * outputs it names. So its key moves with exactly what it reads, not with the whole config file.
 */
export function configInputs(layer: string, order: LayerOrder): NonNullable<TargetConfiguration['inputs']> {
  if (!Object.hasOwn(LAYER_CONFIG_FIELDS, layer))
    throw new Error(
      `${layer} is a layer, but projects/cluster/src/layer-config-fields.ts lists no config fields for it: add the fields it reads there.`,
    );
  return [sliceFile(layer as SliceLayer), ...(order.readsOutputs ?? [])].map((file) => ({
    dependentTasksOutputFiles: file,
    transitive: true,
  }));
}

/**
 * The inferred targets of one layer. Pure targets (render, check, plan) are cached on the
 * layer's sources, its slice of the config, what its upstream layers' sources are and the vault's fingerprint;
 * the targets with side effects (provision, destroy) are never cached, so a cache hit can
 * never stand in for a change to the world.
 */
export function layerTargets(
  projectRoot: string,
  order: LayerOrder = { above: [], writtenAbove: [] },
): Record<LayerTarget, TargetConfiguration> {
  const inputs = ['production', '^production', ...configInputs(basename(projectRoot), order), ...WORLD_INPUTS];
  inputs.push(vaultInput(basename(projectRoot)));
  const run = (target: LayerTarget): Pick<TargetConfiguration, 'command' | 'metadata'> => ({
    command: `${RUNNER} ${projectRoot} ${target}`,
    metadata: { technologies: ['personal-cloud'], description: describe(basename(projectRoot), target) },
  });
  return {
    render: {
      ...run('render'),
      cache: true,
      dependsOn: ['^render'],
      inputs,
      outputs: ['{workspaceRoot}/dist/{projectName}/render'],
    },
    check: {
      ...run('check'),
      cache: true,
      dependsOn: ['render'],
      inputs,
    },
    plan: {
      ...run('plan'),
      cache: true,
      dependsOn: ['check'],
      inputs,
      outputs: ['{workspaceRoot}/dist/{projectName}/plan.json'],
    },
    provision: {
      ...run('provision'),
      cache: false,
      parallelism: false,
      dependsOn: ['check', '^provision'],
    },
    destroy: {
      ...run('destroy'),
      cache: false,
      parallelism: false,
      // Nx has no "dependents first", so each layer names the layers built on it: theirs runs before
      // its own, and `run-many -t destroy` goes k8s-apps → hosts → builder → infra. Forwarded
      // flags (--yes) reach them when only this layer's destroy was asked for.
      dependsOn: order.above.length ? [{ projects: [...order.above], target: 'destroy', params: 'forward' }] : [],
    },
  };
}

/** What each target does, in the words `nx show project <layer>` prints. */
function describe(project: string, target: LayerTarget): string {
  switch (target) {
    case 'render':
      return `Compute ${project}'s desired state and artifacts under dist/${project}/render, from its slice of the config (dist/cluster/render/slices/${project}.json) and the vault's vars.`;
    case 'check':
      return `Validate what ${project}:render made with the field's own tools.`;
    case 'plan':
      return `Compare ${project}'s desired state with what exists; write dist/${project}/plan.json and print the diff.`;
    case 'provision':
      return `Apply ${project}'s plan after the layers below it: idempotent, resumable, a no-op when nothing changed.`;
    case 'destroy':
      return `Tear ${project} down after the layers built on it (k8s-apps → hosts → builder → infra); asks once per run, or --yes.`;
  }
}
