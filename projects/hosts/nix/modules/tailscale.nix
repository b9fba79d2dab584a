# Tailscale: joins with the operator's auth key (a delivered file), under the cluster's tags so a
# reinstalled node keeps its ACLs, and with a stable hostname so the k3s tls-san stays true.
{ config, lib, ... }:
let
  tailscale = config.personalCloud.node.tailscale;
in
lib.mkIf tailscale.enable {
  services.tailscale = {
    enable = true;
    inherit (tailscale) authKeyFile;
    # Direct connections need Tailscale's UDP port (41641), which Hetzner's firewall opens too.
    openFirewall = true;
    # A subnet router forwards: "server" turns IP forwarding on.
    useRoutingFeatures = if tailscale.advertiseRoutes != [ ] then "server" else "none";
    extraUpFlags =
      [ "--hostname=${tailscale.hostname}" ]
      ++ lib.optional (tailscale.tags != [ ]) "--advertise-tags=${lib.concatStringsSep "," tailscale.tags}"
      ++ lib.optional (tailscale.advertiseRoutes != [ ]) "--advertise-routes=${lib.concatStringsSep "," tailscale.advertiseRoutes}";
  };
  # Tailscale routes asymmetrically; strict reverse-path filtering would drop its packets.
  networking.firewall.checkReversePath = "loose";
}
