# Stands for nixpkgs' nixos/modules/profiles/qemu-guest.nix in the offline check, where
# nixpkgs itself is absent. It only loads virtio kernel modules; the real one is used by the
# flake and evaluated wherever real Nix can fetch nixpkgs.
{ }
