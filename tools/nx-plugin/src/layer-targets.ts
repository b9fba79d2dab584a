import type { TargetConfiguration, TargetDependencyConfig } from '@nx/devkit';

/** The five targets every infrastructure layer has, in the order a run goes through them. */
export const LAYER_TARGETS = ['render', 'check', 'plan', 'provision', 'destroy'] as const;
export type LayerTarget = (typeof LAYER_TARGETS)[number];

const RUNNER = 'node tools/nx-plugin/src/run-target.mjs';

/**
 * The one step that generates every key the layers list (projects/vault/src/targets/keys.ts):
 * each layer renders after it, so a layer's render and provision find their keys in the vault.
 */
export const KEYS_STEP: TargetDependencyConfig = { projects: ['vault'], target: 'keys' };

/** Which vault documents a target reads, hashed as a runtime input so a cache hit never hides a change in them. */
const VAULT_INPUTS: Record<'render' | 'plan', string> = {
  render: 'node tools/nx-plugin/src/vault-fingerprint.mjs vars',
  plan: 'node tools/nx-plugin/src/vault-fingerprint.mjs vars state',
};

/**
 * Where a layer's targets reach: another config file, vault, sandbox or Hetzner endpoint means
 * other inputs, so each is part of the key (the config file by its content).
 */
const WORLD_INPUTS = [
  { env: 'CLOUD_CONFIG' },
  { runtime: 'node tools/nx-plugin/src/config-fingerprint.mjs' },
  { env: 'CLOUD_SECRETS_DIR' },
  { env: 'SANDBOX_DIR' },
  { env: 'HCLOUD_ENDPOINT' },
  { env: 'HCLOUD_TOKEN' },
];

/**
 * The inferred targets of one layer. Pure targets (render, check, plan) are cached on the
 * layer's sources, the config, what its upstream layers' sources are and the vault's fingerprint;
 * the targets with side effects (provision, destroy) are never cached, so a cache hit can
 * never stand in for a change to the world.
 */
export function layerTargets(projectRoot: string): Record<LayerTarget, TargetConfiguration> {
  const run = (target: LayerTarget): Pick<TargetConfiguration, 'command' | 'metadata'> => ({
    command: `${RUNNER} ${projectRoot} ${target}`,
    metadata: { technologies: ['personal-cloud'], description: DESCRIPTIONS[target] },
  });
  return {
    render: {
      ...run('render'),
      cache: true,
      dependsOn: ['^render', KEYS_STEP],
      inputs: ['production', '^production', 'clusterConfig', ...WORLD_INPUTS, { runtime: VAULT_INPUTS.render }],
      outputs: ['{workspaceRoot}/dist/{projectName}/render'],
    },
    check: {
      ...run('check'),
      cache: true,
      dependsOn: ['render'],
      inputs: ['production', '^production', 'clusterConfig', ...WORLD_INPUTS, { runtime: VAULT_INPUTS.render }],
    },
    plan: {
      ...run('plan'),
      cache: true,
      dependsOn: ['check'],
      inputs: ['production', '^production', 'clusterConfig', ...WORLD_INPUTS, { runtime: VAULT_INPUTS.plan }],
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
    },
  };
}

const DESCRIPTIONS: Record<LayerTarget, string> = {
  render: 'Compute the desired state and artifacts under dist/<project>/render from config and vars.',
  check: "Validate what render made with the field's own tools.",
  plan: 'Compare desired with actual and write dist/<project>/plan.json.',
  provision: 'Apply the plan: idempotent, resumable, a no-op when nothing changed.',
  destroy: 'Tear the layer down in reverse, behind guards.',
};
