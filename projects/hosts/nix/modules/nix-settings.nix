# Nix on the node: the cluster's binary cache as a substituter and Oxygen as a remote builder,
# from the builder layer's fields in hosts.json; with fallback, a sleeping Oxygen or an
# unreachable cache never stops a build.
{ config, lib, ... }:
let
  nix = config.personalCloud.node.nix;
  aliasBlock = a: ''
    Host ${a.alias}
      HostName ${a.hostName}
      Port ${toString a.port}
      HostKeyAlias ${a.alias}
      ConnectTimeout 5
  '';
in
{
  nix.settings = {
    experimental-features = [ "nix-command" "flakes" ];
    # Lists merge: these come in addition to NixOS's default cache.nixos.org.
    substituters = nix.substituters;
    trusted-public-keys = nix.trustedPublicKeys;
    builders-use-substitutes = nix.buildersUseSubstitutes;
    fallback = nix.fallback;
  };
  nix.distributedBuilds = nix.distributedBuilds;
  nix.buildMachines = nix.builders;
  programs.ssh.extraConfig = lib.concatMapStrings aliasBlock nix.sshAliases;
}
