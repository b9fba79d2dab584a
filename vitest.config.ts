import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.workspace-aliases.ts';

// One run over every project; each project's own vitest.config.ts lets `nx affected -t test` run it alone.
export default defineConfig({
  test: {
    projects: ['projects/*/vitest.config.ts', 'tools/*/vitest.config.ts', 'scripts/vitest.config.ts'],
  },
  resolve: { alias: workspaceAliases() },
});
