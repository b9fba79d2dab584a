# k3s: the role, joining and node identity from personalCloud.node.k3s. Only a server that
# hosts' state says starts a new cluster bootstraps it (clusterInit); every other node joins
# through serverAddr, so a reinstalled first server never starts a second, empty cluster.
{ config, lib, pkgs, ... }:
let
  node = config.personalCloud.node;
  k3s = node.k3s;
  isServer = k3s.role == "server";
  snapshots = k3s.etcdSnapshots;
  packageName = "k3s_" + lib.replaceStrings [ "." ] [ "_" ] k3s.version;
  snapshotFlags = lib.optionals (isServer && snapshots != null) (
    [
      "--etcd-snapshot-schedule-cron=${snapshots.schedule}"
      "--etcd-snapshot-retention=${toString snapshots.retention}"
    ]
    ++ lib.optionals (snapshots.s3 != null) [
      "--etcd-s3"
      "--etcd-s3-endpoint=${snapshots.s3.endpoint}"
      "--etcd-s3-region=${snapshots.s3.region}"
      "--etcd-s3-bucket=${snapshots.s3.bucket}"
      "--etcd-s3-folder=${snapshots.s3.folder}"
    ]
  );
in
{
  services.k3s = {
    enable = true;
    package = pkgs.${packageName} or (throw "personal-cloud: the pinned nixpkgs has no ${packageName} for k3s ${k3s.version}.");
    inherit (k3s) role tokenFile;
    clusterInit = k3s.bootstrap;
    serverAddr = if k3s.serverAddr == null then "" else k3s.serverAddr;
    nodeName = node.name;
    nodeIP = k3s.nodeIp;
    nodeLabel = lib.mapAttrsToList (key: value: "${key}=${value}") k3s.labels;
    nodeTaint = k3s.taints;
    # The S3 keys reach k3s as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from a delivered file.
    environmentFile = if isServer && snapshots != null && snapshots.s3 != null then snapshots.s3.credentialsFile else null;
    extraFlags =
      [ "--flannel-iface=${k3s.flannelIface}" ]
      ++ lib.optionals isServer (map (san: "--tls-san=${san}") k3s.tlsSans ++ k3s.clusterFlags ++ snapshotFlags);
  };

  assertions = [
    {
      assertion = k3s.bootstrap -> isServer && k3s.serverAddr == null;
      message = "personalCloud.node.k3s: node ${node.name} bootstraps the cluster, so it must be a server with no serverAddr.";
    }
    {
      assertion = !k3s.bootstrap -> k3s.serverAddr != null;
      message = "personalCloud.node.k3s: node ${node.name} joins an existing cluster, so it needs a serverAddr.";
    }
  ];
}
