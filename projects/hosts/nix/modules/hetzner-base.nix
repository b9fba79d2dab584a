# A Hetzner Cloud VM: the qemu guest drivers, GRUB for both BIOS and EFI machines, and
# systemd-networkd with IPv4 by DHCP, IPv6 from the server's /64 and the private network on the
# interface that has the MAC address Hetzner's API reported for it.
{ config, lib, modulesPath, ... }:
let
  node = config.personalCloud.node;
  private = node.interfaces.private;
in
{
  imports = [ (modulesPath + "/profiles/qemu-guest.nix") ];

  nixpkgs.hostPlatform = node.system;
  networking.hostName = node.hostName;
  system.stateVersion = "25.11";

  # disko adds the root disk (by its stable path) to boot.loader.grub.devices from the EF02 partition.
  boot.loader.grub = {
    enable = true;
    efiSupport = true;
    # No NVRAM entries to rely on: Hetzner can move a VM, so GRUB goes to the removable path.
    efiInstallAsRemovable = true;
  };

  networking.useNetworkd = true;
  networking.useDHCP = false;
  systemd.network = {
    enable = true;
    # Interface names differ between server types; the MAC does not. Naming the private
    # interface lets k3s and the firewall refer to it.
    links."10-private" = {
      matchConfig.PermanentMACAddress = private.mac;
      linkConfig.Name = private.name;
    };
    # Files apply in name order and the first match wins: the private one is matched by MAC
    # first, so the public one can match any other Ethernet interface.
    networks."10-private" = {
      matchConfig.MACAddress = private.mac;
      address = [ "${node.addresses.privateIpv4}/32" ];
      # Hetzner routes the whole network through its first address, reached on-link.
      routes = [
        {
          Destination = private.network;
          Gateway = private.gateway;
          GatewayOnLink = true;
        }
      ];
    };
    networks."20-public" = {
      matchConfig.Type = "ether";
      DHCP = "ipv4";
      address = lib.optional (node.addresses.publicIpv6 != null) node.addresses.publicIpv6;
      routes = lib.optional (node.addresses.publicIpv6 != null) { Gateway = "fe80::1"; };
    };
  };
}
