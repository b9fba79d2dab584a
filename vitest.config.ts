import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.workspace-aliases.ts';

// One run over every project; each project's own vitest.config.ts lets `nx affected -t test` run it alone.
export default defineConfig({
  test: {
    projects: [
      'projects/*/vitest.config.ts',
      'tools/*/vitest.config.ts',
      'scripts/vitest.config.ts',
      'bench/vitest.config.ts',
    ],
    // Files run side by side: none shares a port (sandboxes listen on port 0) or a directory (each
    // makes its own temp dirs). Vitest's default, one worker fewer than cores, leaves a 2-core machine
    // running one file at a time while most files wait on child processes, git and sockets; one
    // worker more than cores keeps both cores busy.
    maxWorkers: availableParallelism() + 1,
  },
  resolve: { alias: workspaceAliases() },
});
