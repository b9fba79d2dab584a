// The command line the hosts layer gives nixos-anywhere to install a new server. Written once
// here so that `hosts:check` can hold every flag against the flags nixos-anywhere accepts.
//
// nixos-anywhere has no --override-input: the run locks a temporary copy of the flake with
// `nix flake lock --override-input render path:<render dir>` and passes that copy as --flake.

export interface InstallArgs {
  /** The locked flake copy. */
  flake: string;
  node: string;
  /** root@<address> */
  targetHost: string;
  identityFile: string;
  knownHostsFile: string;
  /** The folder laid out as the node's root, holding its secret files (from the secure temp dir). */
  extraFilesDir: string;
  /** Oxygen as a remote builder, once the builder exists and answers (nix's `builders` syntax). */
  builders?: string;
}

export function nixosAnywhereArgs(args: InstallArgs): string[] {
  return [
    '--flake',
    `${args.flake}#${args.node}`,
    '--target-host',
    args.targetHost,
    '-i',
    args.identityFile,
    '--ssh-option',
    `UserKnownHostsFile=${args.knownHostsFile}`,
    '--extra-files',
    args.extraFilesDir,
    // Build here, never on the target: a CPX11 has 2 GB. Builds go to Oxygen when it answers.
    '--build-on',
    'local',
    // disko's own dependencies would be copied into the kexec image's RAM on small servers.
    '--no-disko-deps',
    ...(args.builders ? ['--option', 'builders', args.builders] : []),
  ];
}
