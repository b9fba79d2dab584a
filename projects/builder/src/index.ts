// What other layers take from the builder: the hosts' Nix fields (cache, build machines, fallback).
export { hostNix, type HostBuildMachine, type HostNix, type HostSshAlias } from './hosts/host-nix';
export { HOST_NIX_FILE, readHostNix } from './hosts/host-nix-file';
