# The typed option tree the other modules read: personalCloud.node, filled from one node of
# hosts.json. Every value from TypeScript is checked here by the module system's own types, so
# a wrong value fails with the option's name before any NixOS setting is made from it.
{ lib, ... }:
let
  inherit (lib) mkOption types;

  rfc1123 = types.strMatching "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  ipv4 = types.strMatching "([0-9]{1,3}\\.){3}[0-9]{1,3}";
  ipv4Cidr = types.strMatching "([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}";
  mac = types.strMatching "([0-9a-f]{2}:){5}[0-9a-f]{2}";
  # An attached volume can take the name /dev/sda, so disks are named by stable links only.
  stableDisk = types.strMatching "/dev/disk/by-(id|path)/[^/]+";
  # Secrets are files that nixos-anywhere delivers; only their paths are known here, and they
  # live outside the store (a /nix/store path would mean a secret was copied into it).
  secretFile = types.strMatching "/(var/lib|run|etc)/[^ ]+";
  flag = types.strMatching "--[a-z0-9-]+(=.+)?";

  portSet = types.submodule {
    options = {
      tcp = mkOption { type = types.listOf types.port; default = [ ]; };
      udp = mkOption { type = types.listOf types.port; default = [ ]; };
      tcpRanges = mkOption { type = types.listOf portRange; default = [ ]; };
      udpRanges = mkOption { type = types.listOf portRange; default = [ ]; };
    };
  };
  portRange = types.submodule {
    options = {
      from = mkOption { type = types.port; };
      to = mkOption { type = types.port; };
    };
  };

  volume = types.submodule {
    options = {
      name = mkOption { type = rfc1123; };
      hetznerId = mkOption {
        type = types.ints.positive;
        description = "Hetzner's id of the volume: it appears as /dev/disk/by-id/scsi-0HC_Volume_<id>.";
      };
      # Typed as a plain string on purpose: disko's own type decides what a mount point may be.
      mountPath = mkOption { type = types.str; };
      format = mkOption { type = types.enum [ "ext4" "xfs" ]; };
      tier = mkOption { type = types.enum [ "hot" "warm" ]; };
    };
  };

  etcdSnapshots = types.submodule {
    options = {
      schedule = mkOption { type = types.strMatching "([^ ]+ +){4}[^ ]+"; };
      retention = mkOption { type = types.ints.positive; };
      s3 = mkOption {
        default = null;
        type = types.nullOr (
          types.submodule {
            options = {
              endpoint = mkOption { type = types.strMatching "[a-z0-9.-]+(:[0-9]+)?"; };
              region = mkOption { type = types.str; };
              bucket = mkOption { type = types.str; };
              folder = mkOption { type = types.str; };
              # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for k3s, as an EnvironmentFile.
              credentialsFile = mkOption { type = secretFile; };
            };
          }
        );
      };
    };
  };
in
{
  options.personalCloud.node = {
    name = mkOption { type = rfc1123; description = "The node's name in the cluster, e.g. worker-3."; };
    pool = mkOption { type = rfc1123; };
    role = mkOption { type = types.enum [ "control-plane" "worker" "builder" "gpu" ]; };
    hostName = mkOption { type = rfc1123; };
    system = mkOption { type = types.enum [ "x86_64-linux" "aarch64-linux" ]; };
    hetznerId = mkOption { type = types.ints.positive; };

    addresses = {
      privateIpv4 = mkOption { type = ipv4; };
      publicIpv4 = mkOption { type = types.nullOr ipv4; default = null; };
      # The server's first address in its /64, e.g. 2001:db8:1:2::1/64.
      publicIpv6 = mkOption { type = types.nullOr (types.strMatching "[0-9a-f:]+/64"); default = null; };
    };

    interfaces.private = {
      mac = mkOption { type = mac; description = "The private interface's MAC address, as Hetzner's API reports it."; };
      name = mkOption { type = types.strMatching "[a-z][a-z0-9]{0,14}"; description = "The name the interface gets, matched by its MAC."; };
      network = mkOption { type = ipv4Cidr; };
      gateway = mkOption { type = ipv4; };
    };

    disks = {
      root = mkOption { type = stableDisk; };
      volumes = mkOption { type = types.listOf volume; default = [ ]; };
    };
    storage.hotPath = mkOption { type = types.strMatching "/.+"; };

    k3s = {
      role = mkOption { type = types.enum [ "server" "agent" ]; };
      bootstrap = mkOption {
        type = types.bool;
        description = "Whether this server starts a new cluster (clusterInit); decided from hosts' state, never from the phase.";
      };
      serverAddr = mkOption { type = types.nullOr (types.strMatching "https://[^ ]+:6443"); };
      version = mkOption { type = types.strMatching "1\\.[0-9]+"; description = "The pinned k3s minor, e.g. 1.34: nixpkgs' k3s_1_34."; };
      nodeIp = mkOption { type = ipv4; };
      flannelIface = mkOption { type = types.str; };
      tlsSans = mkOption { type = types.listOf types.str; default = [ ]; };
      labels = mkOption { type = types.attrsOf types.str; default = { }; };
      taints = mkOption { type = types.listOf types.str; default = [ ]; };
      clusterFlags = mkOption {
        type = types.listOf flag;
        description = "Flags k3s requires to be equal on every server; they come from one place in the hosts layer.";
      };
      tokenFile = mkOption { type = secretFile; };
      etcdSnapshots = mkOption { type = types.nullOr etcdSnapshots; default = null; };
    };

    tailscale = {
      enable = mkOption { type = types.bool; };
      hostname = mkOption { type = rfc1123; };
      tags = mkOption { type = types.listOf (types.strMatching "tag:[a-z0-9-]+"); default = [ ]; };
      authKeyFile = mkOption { type = types.nullOr secretFile; default = null; };
      advertiseRoutes = mkOption { type = types.listOf (types.strMatching "[0-9.]+/[0-9]+"); default = [ ]; };
    };

    firewall = {
      public = mkOption { type = portSet; default = { }; };
      private = mkOption { type = portSet; default = { }; };
      tailscale = mkOption { type = portSet; default = { }; };
    };

    # Filled by the builder layer (projects/builder/src/hosts/host-nix.ts).
    nix = {
      substituters = mkOption { type = types.listOf types.str; default = [ ]; };
      trustedPublicKeys = mkOption { type = types.listOf (types.strMatching "[A-Za-z0-9._-]+:[A-Za-z0-9+/=]+"); default = [ ]; };
      distributedBuilds = mkOption { type = types.bool; default = false; };
      buildersUseSubstitutes = mkOption { type = types.bool; default = false; };
      fallback = mkOption { type = types.bool; default = true; };
      # Remote builders (Oxygen), in the shape of NixOS's nix.buildMachines.
      builders = mkOption {
        default = [ ];
        type = types.listOf (
          types.submodule {
            options = {
              hostName = mkOption { type = types.str; };
              protocol = mkOption { type = types.enum [ "ssh" "ssh-ng" ]; default = "ssh-ng"; };
              systems = mkOption { type = types.listOf types.str; };
              sshUser = mkOption { type = types.nullOr types.str; default = null; };
              sshKey = mkOption { type = types.nullOr secretFile; default = null; };
              maxJobs = mkOption { type = types.ints.positive; default = 1; };
              speedFactor = mkOption { type = types.ints.positive; default = 1; };
              supportedFeatures = mkOption { type = types.listOf types.str; default = [ ]; };
              mandatoryFeatures = mkOption { type = types.listOf types.str; default = [ ]; };
              publicHostKey = mkOption { type = types.nullOr (types.strMatching "[A-Za-z0-9+/=]+"); default = null; };
            };
          }
        );
      };
      # Nix's machine URIs carry no port: an ssh alias per builder does.
      sshAliases = mkOption {
        default = [ ];
        type = types.listOf (
          types.submodule {
            options = {
              alias = mkOption { type = rfc1123; };
              hostName = mkOption { type = types.str; };
              port = mkOption { type = types.port; };
            };
          }
        );
      };
    };

    access = {
      operatorKeys = mkOption {
        type = types.nonEmptyListOf (types.strMatching "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?");
      };
      hostKeyFile = mkOption { type = secretFile; };
    };

    extraFiles = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "The files nixos-anywhere delivers (names only, relative to /); their contents never pass through Nix.";
    };
  };
}
