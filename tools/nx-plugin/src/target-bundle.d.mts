// Types for target-bundle.mjs (plain JavaScript: the launcher runs it before TypeScript can load).

/** A bundle to start a target from: the files of its entries. */
export interface TargetBundle {
  runner: string;
  library: string;
  target: string;
  [entry: string]: string;
}

export function bundlesDir(workspaceRoot: string): string;

export function targetBundle(
  workspaceRoot: string,
  projectRoot: string,
  target: string,
  runner: string,
  library: string,
): Promise<TargetBundle>;
