import type { TargetConfiguration } from '@nx/devkit';

const BIOME = 'node_modules/.bin/biome';

/**
 * Lint and format with Biome, per project so `nx affected -t lint` checks only what changed.
 * `lint` only reads (format and lint rules both), so it is cached on the sources and the Biome
 * config; `format` rewrites files and is never cached. `npm test` checks the whole tree at once,
 * which also covers the files outside projects (bench/, scripts/, the config).
 */
export function styleTargets(projectRoot: string): Record<'lint' | 'format', TargetConfiguration> {
  return {
    lint: {
      command: `${BIOME} ci --colors=off ${projectRoot}`,
      cache: true,
      inputs: ['default', '{workspaceRoot}/biome.json'],
      metadata: {
        technologies: ['biome'],
        description: 'Check formatting and lint rules with Biome; changes nothing.',
      },
    },
    format: {
      command: `${BIOME} check --write ${projectRoot}`,
      cache: false,
      metadata: { technologies: ['biome'], description: 'Format and apply safe lint fixes with Biome.' },
    },
  };
}
