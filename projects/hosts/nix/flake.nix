# NixOS for every personal-cloud server: one nixosConfiguration per node in hosts.json.
#
# hosts.json is data that `nx run hosts:render` writes to dist/hosts/render. A flake inside a git
# repository sees only tracked files and dist/ is ignored, so the render folder arrives as the
# `render` input, overridden for each run:
#
#   nix build .#nixosConfigurations.master-1.config.system.build.toplevel \
#     --override-input render path:$PWD/dist/hosts/render
#
# A path: input is copied into the world-readable store: hosts.json holds topology (addresses,
# MACs, ids), never a token or key; those reach the machines as files (see extraFiles in hosts.json).
{
  description = "personal-cloud hosts: NixOS k3s nodes on Hetzner, parameterised by hosts.json";

  inputs = {
    # Pinned by revision, so the first real run locks the same versions everywhere. nixpkgs is
    # the revision disko's own lock file tested this disko with.
    nixpkgs.url = "github:NixOS/nixpkgs/e38213b91d3786389a446dfce4ff5a8aaf6012f2";
    disko.url = "github:nix-community/disko/878ec37d6a8f52c6c801d0e2a2ad554c75b9353c";
    disko.inputs.nixpkgs.follows = "nixpkgs";
    # Overridden at run time; the tracked placeholder only says how.
    render = {
      url = "path:./render-unset";
      flake = false;
    };
  };

  outputs =
    { nixpkgs, disko, render, ... }:
    let
      hosts = import ./hosts-data.nix { hostsFile = "${render}/hosts.json"; };
      nixosFor =
        name: node:
        nixpkgs.lib.nixosSystem {
          modules = [
            disko.nixosModules.disko
            ./modules
            { personalCloud.node = node; }
          ];
        };
    in
    {
      nixosConfigurations = builtins.mapAttrs nixosFor hosts.nodes;
    };
}
