// What other layers take from the builder: the hosts' Nix fields (cache, build machines, fallback).
export { hostNix, type HostBuildMachine, type HostNix, type HostSshAlias } from './hosts/host-nix';
// The builder client key: where the hosts' nix-daemon reads it (hosts.json's sshKey) and its token.
export { BUILDER_CLIENT_KEY_TOKEN, HOST_BUILDER_CLIENT_KEY } from './keys/builder-keys';
export { HOST_NIX_FILE, readHostNix } from './hosts/host-nix-file';
