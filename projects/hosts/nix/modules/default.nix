# Everything a personal-cloud node is, one concern per module; all read personalCloud.node.
{
  imports = [
    ./node-options.nix
    ./hetzner-base.nix
    ./disks.nix
    ./k3s.nix
    ./tailscale.nix
    ./host-firewall.nix
    ./nix-settings.nix
    ./access.nix
  ];
}
