import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.workspace-aliases.ts';

/** A project's test config: its own name, the workspace aliases, and room for tests that start processes. */
export function projectTestConfig(configUrl: string, overrides: UserWorkspaceConfig['test'] = {}) {
  const dir = dirname(fileURLToPath(configUrl));
  return defineProject({
    root: dir,
    resolve: { alias: workspaceAliases() },
    test: {
      name: basename(dir),
      include: ['**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...overrides,
    },
  });
}
