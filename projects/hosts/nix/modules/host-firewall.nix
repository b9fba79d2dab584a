# The host firewall. Hetzner's firewall sees only public interfaces, so on the private network
# this is the only guard. SSH and the Kubernetes API answer only on the private interface and
# on Tailscale; the public interface opens what the config's public rules name (Hetzner's
# firewall limits their sources).
{ config, lib, ... }:
let
  node = config.personalCloud.node;
  allowed = ports: {
    allowedTCPPorts = ports.tcp;
    allowedUDPPorts = ports.udp;
    allowedTCPPortRanges = ports.tcpRanges;
    allowedUDPPortRanges = ports.udpRanges;
  };
in
{
  networking.firewall = allowed node.firewall.public // {
    enable = true;
    interfaces = {
      ${node.interfaces.private.name} = allowed node.firewall.private;
      tailscale0 = allowed node.firewall.tailscale;
    };
    # Pods reach the node's own services (kubelet, DNS) from the CNI bridge.
    trustedInterfaces = [ "cni0" ];
  };
  # openssh would otherwise open port 22 on every interface, the public one included.
  services.openssh.openFirewall = false;
}
