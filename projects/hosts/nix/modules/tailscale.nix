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
    extraUpFlags =
      [ "--hostname=${tailscale.hostname}" ]
      ++ lib.optional (tailscale.tags != [ ]) "--advertise-tags=${lib.concatStringsSep "," tailscale.tags}";
  };
  # Tailscale routes asymmetrically; strict reverse-path filtering would drop its packets.
  networking.firewall.checkReversePath = "loose";
}
