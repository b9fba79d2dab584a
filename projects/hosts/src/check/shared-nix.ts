// ../shared/nix: nixpkgs' lib, disko's lib and nixos-anywhere's script, for the offline checks
// (see its README). It is beside the workspace in CI; on a user's fresh clone it is absent and
// those checks are skipped with the reason.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface SharedNix {
  dir: string;
  lib: string;
  disko: string;
  nixosAnywhereScript: string;
}

/** The folder from CLOUD_SHARED_NIX, else ../shared/nix beside the workspace; undefined when incomplete. */
export function locateSharedNix(
  workspace: string,
  env: NodeJS.ProcessEnv = process.env,
): { found?: SharedNix; looked: string } {
  const dir = resolve(workspace, env.CLOUD_SHARED_NIX || '../shared/nix');
  const shared = {
    dir,
    lib: join(dir, 'nixpkgs-lib/lib'),
    disko: join(dir, 'disko/lib'),
    nixosAnywhereScript: join(dir, 'nixos-anywhere/src/nixos-anywhere.sh'),
  };
  const complete = [shared.lib, shared.disko, shared.nixosAnywhereScript].every((p) => existsSync(p));
  return complete ? { found: shared, looked: dir } : { looked: dir };
}
