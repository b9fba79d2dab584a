# The offline check of Oxygen's module: the real nixpkgs lib.evalModules over the personalCloud.oxygen
# option tree and the mapping module, against the stand-in NixOS options. Prints what Oxygen
# would get, as JSON; a type error fails the evaluation with the option's name.
#
#   nix-instantiate --eval --strict --json evaluate-oxygen.nix \
#     --arg sharedNix /path/to/shared/nix --argstr oxygenFile dist/builder/render/nixos/oxygen.json
{ sharedNix, oxygenFile }:
let
  lib = import (sharedNix + "/nixpkgs-lib/lib");
  evaluated = lib.evalModules {
    modules = [
      ./nixos-stand-in.nix
      ../modules
      { personalCloud.oxygen = builtins.fromJSON (builtins.readFile oxygenFile); }
    ];
  };
  config = evaluated.config;
in
{
  tailscale = config.services.tailscale.enable;
  tailscaleUpFlags = config.services.tailscale.extraUpFlags;
  podman = config.virtualisation.podman.enable;
  containers = config.virtualisation.oci-containers.containers;
  k3s = config.services.k3s;
  k3sUnit = config.systemd.services.k3s or null;
  pushUnit = config.systemd.services.personal-cloud-builder-push or null;
}
