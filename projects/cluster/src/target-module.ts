import type { ParseArgsConfig } from 'node:util';

/** The parsed command line a target receives from tools/nx-plugin's runner. */
export interface TargetArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  /**
   * Aborted when the run is interrupted (Ctrl-C, SIGTERM or SIGHUP to nx, or nx gone). A target
   * with side effects stops at a safe point on it; the runner then exits 130 whatever run() does.
   */
  stop?: AbortSignal;
}

/** What a target module (`<project>/src/targets/<target>.ts`) exports. */
export interface TargetModule {
  /** The flags it takes, in node:util parseArgs form; anything else is refused. */
  options?: ParseArgsConfig['options'];
  run(args: TargetArgs): Promise<void>;
}

/**
 * Flags that `nx run-many` hands to every project's target, whichever layer they are meant for.
 * `--prune` is infra's (it deletes servers that left the config, once hosts has decommissioned
 * them); the layers above take it and ignore it, so `run-many -t provision --prune` reaches them
 * instead of failing on a flag they have no use for.
 */
export const RUN_WIDE_OPTIONS: Readonly<Record<string, ParseArgsConfig['options']>> = {
  provision: { prune: { type: 'boolean' } },
};
