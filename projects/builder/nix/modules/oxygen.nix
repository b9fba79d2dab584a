# Oxygen's NixOS: the builder container under Podman (rootful, privileged: Nix's sandbox needs its
# namespaces), its push loop (attic watch-store in the container, a sibling unit that lives and
# dies with it, never a post-build-hook), Tailscale, and the k3s agent tied to tailscaled (a restart of tailscaled drops
# flannel's routes until k3s restarts).
{ config, lib, ... }:
let
  oxygen = config.personalCloud.oxygen;
  builder = oxygen.builder;
  agent = oxygen.agent;
in
{
  services.tailscale = {
    enable = true;
    # Linux ignores subnet routes unless asked: the Hetzner nodes' private addresses come through one.
    useRoutingFeatures = "client";
    extraUpFlags = [ "--accept-routes" ];
  };

  virtualisation.podman.enable = builder != null;
  virtualisation.oci-containers = lib.mkIf (builder != null) {
    backend = "podman";
    containers.${builder.container} = {
      image = builder.image;
      volumes = [ "${builder.nixVolume}:/nix" ] ++ map (m: "${m.from}:${m.to}:ro") builder.mounts;
      extraOptions = [
        "--privileged"
        "--network=host"
        "--cpus=${toString builder.cpus}"
        "--memory=${toString builder.memoryGb}g"
        "--health-cmd=${builder.healthCmd}"
        "--health-on-failure=kill"
      ];
    };
  };

  # oci-containers names the container's unit podman-<name>.service.
  systemd.services.${if builder != null then builder.push.unit else "personal-cloud-builder-push"} =
    lib.mkIf (builder != null) (
      let
        containerUnit = "podman-${builder.container}.service";
      in
      {
        description = "personal-cloud Nix builder push loop (attic watch-store)";
        after = [ containerUnit ];
        bindsTo = [ containerUnit ];
        wantedBy = [ containerUnit ];
        serviceConfig = {
          ExecStart = lib.escapeShellArgs ([ "/run/current-system/sw/bin/podman" ] ++ builder.push.execArgs);
          Restart = "always";
          RestartSec = "30s";
        };
      }
    );

  services.k3s = lib.mkIf (agent != null) {
    enable = true;
    role = agent.role;
    serverAddr = agent.serverAddr;
    tokenFile = agent.tokenFile;
    extraFlags =
      [
        "--node-ip=${agent.nodeIp}"
        "--flannel-iface=${agent.flannelIface}"
      ]
      ++ lib.mapAttrsToList (k: v: "--node-label=${k}=${v}") agent.labels
      ++ map (t: "--node-taint=${t}") agent.taints;
  };
  systemd.services.k3s = lib.mkIf (agent != null) {
    after = [ "tailscaled.service" ];
    partOf = [ "tailscaled.service" ];
  };
}
