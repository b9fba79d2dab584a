# Oxygen's NixOS: the operator's own configuration of the desktop, extended with personal-cloud's
# builder container, push loop and k3s agent (./modules, typed by ./modules/oxygen-options.nix).
#
# Both inputs are overridden for each run by builder:provision (never fetched as written here):
#   system  the operator's system flake, which holds nixosConfigurations.<Oxygen's host name>
#           (vars.OXYGEN.system_flake);
#   render  dist/builder/render, whose nixos/oxygen.json is the module's data. A path: input is
#           copied into the world-readable store: render holds no key (builder:check proves it);
#           the keys reach Oxygen as files.
#
#   nixos-rebuild switch --flake path:$PWD#oxygen --no-write-lock-file \
#     --override-input system <system flake> --override-input render path:$PWD/../../../dist/builder/render \
#     --target-host root@oxygen
{
  description = "personal-cloud: Oxygen's NixOS configuration, extended with the builder and the k3s agent";

  inputs = {
    system.url = "path:./system-unset";
    render = {
      url = "path:./render-unset";
      flake = false;
    };
  };

  outputs =
    { system, render, ... }:
    let
      oxygen = builtins.fromJSON (builtins.readFile "${render}/nixos/oxygen.json");
    in
    {
      # For an operator who imports the module in their own flake instead.
      nixosModules.oxygen = ./modules;
      nixosConfigurations.${oxygen.hostname} = system.nixosConfigurations.${oxygen.hostname}.extendModules {
        modules = [
          ./modules
          { personalCloud.oxygen = oxygen; }
        ];
      };
    };
}
