# The personalCloud.oxygen option tree: the data builder:render writes as nixos/oxygen.json, typed
# again here, so a value render should never make is refused with its option's name.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  secretFile = types.strMatching "/(var/lib|run|etc)/[^ ]+";
in
{
  options.personalCloud.oxygen = {
    hostname = mkOption { type = types.strMatching "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"; };
    builder = mkOption {
      default = null;
      type = types.nullOr (
        types.submodule {
          options = {
            container = mkOption { type = types.str; };
            image = mkOption { type = types.str; };
            # The image's definition, rendered beside this file; built on Oxygen.
            imageDir = mkOption { type = types.str; };
            cpus = mkOption { type = types.numbers.between 0.5 256; };
            memoryGb = mkOption { type = types.ints.between 1 1024; };
            nixVolume = mkOption { type = types.strMatching "[a-z0-9][a-z0-9_.-]*"; };
            mounts = mkOption {
              type = types.listOf (types.submodule {
                options.from = mkOption { type = types.strMatching "/[^ :]+"; };
                options.to = mkOption { type = types.strMatching "/[^ :]+"; };
              });
            };
            healthCmd = mkOption { type = types.strMatching "/[^ ]+"; };
            # The push loop (attic watch-store), run in the container; its token is in a file on Oxygen.
            push = {
              unit = mkOption { type = types.strMatching "[a-z0-9-]+"; };
              execArgs = mkOption { type = types.listOf (types.strMatching "[^ ]+"); };
            };
          };
        }
      );
    };
    agent = mkOption {
      default = null;
      type = types.nullOr (
        types.submodule {
          options = {
            # Never "server": embedded etcd members must be co-located, and a desktop that sleeps is not.
            role = mkOption { type = types.enum [ "agent" ]; default = "agent"; };
            serverAddr = mkOption { type = types.strMatching "https://[^ ]+:6443"; };
            tokenFile = mkOption { type = secretFile; };
            nodeIp = mkOption { type = types.str; };
            flannelIface = mkOption { type = types.str; };
            labels = mkOption { type = types.attrsOf types.str; default = { }; };
            taints = mkOption { type = types.listOf (types.strMatching "[^=]+=[^:]*:(NoSchedule|PreferNoSchedule|NoExecute)"); default = [ ]; };
          };
        }
      );
    };
  };
}
