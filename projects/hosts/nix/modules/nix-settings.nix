# Nix on the node: the cluster's binary cache as a substituter and Oxygen as a remote builder.
# Both lists stay empty until the builder layer fills them through hosts.json.
{ config, ... }:
let
  nix = config.personalCloud.node.nix;
in
{
  nix.settings = {
    experimental-features = [ "nix-command" "flakes" ];
    # Lists merge: these come in addition to NixOS's default cache.nixos.org.
    substituters = nix.substituters;
    trusted-public-keys = nix.trustedPublicKeys;
  };
  nix.distributedBuilds = nix.builders != [ ];
  nix.buildMachines = nix.builders;
}
