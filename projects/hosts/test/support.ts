// Where the hosts tests find the workspace, the Nix sources and ../shared/nix.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { onPath } from '../../../tools/test-support/external-tools';
import { locateSharedNix } from '../src/check/shared-nix';

export const WORKSPACE = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const NIX_DIR = resolve(WORKSPACE, 'projects/hosts/nix');

const located = locateSharedNix(WORKSPACE);
export const SHARED = located.found;

/** What the Nix tests need: nix-instantiate, and nixpkgs' lib, disko and nixos-anywhere in ../shared/nix. */
export const NIX_NEEDS = {
  what: `nix-instantiate and ${located.looked} (nixpkgs' lib, disko, nixos-anywhere)`,
  available: onPath('nix-instantiate') && SHARED !== undefined,
};
