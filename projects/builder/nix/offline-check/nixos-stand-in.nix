# The NixOS options Oxygen's module sets, declared with the types NixOS gives them (from
# nixos/modules/virtualisation/oci-containers.nix, podman.nix, services/cluster/k3s,
# services/networking/tailscale.nix, system/boot/systemd.nix), so the real lib.evalModules checks
# every value the module sets without a nixpkgs checkout.
{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    services.tailscale.enable = mkOption { type = types.bool; default = false; };
    services.tailscale.useRoutingFeatures = mkOption { type = types.enum [ "none" "client" "server" "both" ]; default = "none"; };
    services.tailscale.extraUpFlags = mkOption { type = types.listOf types.str; default = [ ]; };
    virtualisation.podman.enable = mkOption { type = types.bool; default = false; };
    virtualisation.oci-containers.backend = mkOption { type = types.enum [ "podman" "docker" ]; default = "podman"; };
    virtualisation.oci-containers.containers = mkOption {
      default = { };
      type = types.attrsOf (types.submodule {
        options = {
          image = mkOption { type = types.str; };
          volumes = mkOption { type = types.listOf types.str; default = [ ]; };
          extraOptions = mkOption { type = types.listOf types.str; default = [ ]; };
          autoStart = mkOption { type = types.bool; default = true; };
        };
      });
    };
    services.k3s = {
      enable = mkOption { type = types.bool; default = false; };
      role = mkOption { type = types.enum [ "server" "agent" ]; default = "server"; };
      serverAddr = mkOption { type = types.str; default = ""; };
      tokenFile = mkOption { type = types.nullOr types.path; default = null; };
      extraFlags = mkOption { type = types.either types.str (types.listOf types.str); default = [ ]; };
    };
    systemd.services = mkOption {
      default = { };
      type = types.attrsOf (types.submodule {
        options.description = mkOption { type = types.str; default = ""; };
        options.after = mkOption { type = types.listOf types.str; default = [ ]; };
        options.partOf = mkOption { type = types.listOf types.str; default = [ ]; };
        options.bindsTo = mkOption { type = types.listOf types.str; default = [ ]; };
        options.wantedBy = mkOption { type = types.listOf types.str; default = [ ]; };
        # NixOS: attrsOf unitOption, which is a primitive or a list of primitives.
        options.serviceConfig = mkOption {
          type = types.attrsOf (types.oneOf [ types.bool types.int types.str (types.listOf types.str) ]);
          default = { };
        };
      });
    };
  };
}
