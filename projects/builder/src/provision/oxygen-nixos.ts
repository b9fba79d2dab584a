// Oxygen's NixOS deploy: `nixos-rebuild switch` of the operator's own configuration of Oxygen
// (their system flake, vars.OXYGEN.system_flake), extended with this layer's module
// (projects/builder/nix/flake.nix), to Oxygen over SSH (`--target-host`). The flake's two inputs
// are overridden on the command line, so nothing is locked or written in the repository.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OXYGEN_NIX_DIR } from '../check/oxygen-module-eval';

/** The operator's system flake that holds nixosConfigurations.<Oxygen's host name>; set means Oxygen runs NixOS. */
export const OXYGEN_SYSTEM_FLAKE_VAR = 'OXYGEN.system_flake';

export interface OxygenNixos {
  /** The operator's system flake reference, e.g. `github:me/system` or `path:/home/me/system`. */
  systemFlake: string;
  /** projects/builder/nix, absolute. */
  flakeDir: string;
  /** dist/builder/render, absolute. */
  renderDir: string;
  /** The flake's and the modules' text by path: a change to them is a new generation. */
  sources: Record<string, string>;
}

/** nixos-rebuild's arguments before `--target-host`: the extended configuration of `hostname`. */
export function nixosSwitchArgs(nixos: OxygenNixos, hostname: string): string[] {
  return [
    'switch',
    '--flake',
    `path:${nixos.flakeDir}#${hostname}`,
    '--no-write-lock-file',
    '--override-input',
    'system',
    nixos.systemFlake,
    '--override-input',
    'render',
    `path:${nixos.renderDir}`,
  ];
}

/** flake.nix and modules/*.nix of projects/builder/nix, by their path there. */
export async function readOxygenFlakeSources(dir: string = OXYGEN_NIX_DIR): Promise<Record<string, string>> {
  const modules = (await readdir(join(dir, 'modules'))).filter((f) => f.endsWith('.nix')).sort();
  const paths = ['flake.nix', ...modules.map((f) => `modules/${f}`)];
  return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await readFile(join(dir, p), 'utf8')])));
}
