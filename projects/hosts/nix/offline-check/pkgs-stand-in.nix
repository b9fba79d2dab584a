# TEST-ONLY: the packages the modules take from pkgs, as derivation-shaped values, for the
# offline check. The names are the attributes of the pinned nixpkgs revision (flake.nix) that
# the modules may use: pkgs/applications/networking/cluster/k3s provides k3s_1_<minor>.
let
  standIn = name: {
    type = "derivation";
    inherit name;
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
  };
in
{
  k3s_1_33 = standIn "k3s-1.33";
  k3s_1_34 = standIn "k3s-1.34";
}
