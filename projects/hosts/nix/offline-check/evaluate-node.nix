# The offline check of one node: the real nixpkgs lib.evalModules over the personalCloud option
# tree, the mapping modules (against the stand-in NixOS options) and the disk layout (against
# disko's real types). Prints what the node would get, as JSON; any type error, failed
# assertion or bad layout fails the evaluation with the option's name.
#
#   nix-instantiate --eval --strict --json evaluate-node.nix \
#     --arg sharedNix /path/to/shared/nix --argstr hostsFile dist/hosts/render/hosts.json --argstr node master-1
{ sharedNix, hostsFile, node }:
let
  lib = import (sharedNix + "/nixpkgs-lib/lib");
  diskoLib = import (sharedNix + "/disko/lib") { inherit lib; };
  hosts = import ../hosts-data.nix { inherit hostsFile; };
  nodeData =
    hosts.nodes.${node}
      or (throw "personal-cloud: hosts.json has no node ${node}; it has ${lib.concatStringsSep ", " (builtins.attrNames hosts.nodes)}.");

  evaluated = lib.evalModules {
    specialArgs.modulesPath = ./modules-path;
    modules = [
      ./nixos-stand-in.nix
      # disko/module.nix declares disko.devices with this very type.
      { options.disko.devices = lib.mkOption { type = diskoLib.toplevel; default = { }; }; }
      { _module.args.pkgs = import ./pkgs-stand-in.nix; }
      ../modules
      { personalCloud.node = nodeData; }
    ];
  };
  config = evaluated.config;

  failed = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);

  # Every user-facing value of the layout, which forces each of disko's type checks; the
  # underscore attributes are disko's generated internals (scripts need pkgs).
  plain =
    value:
    if builtins.isAttrs value then
      lib.mapAttrs (_: plain) (lib.filterAttrs (name: v: !(lib.hasPrefix "_" name) && !(builtins.isFunction v)) value)
    else if builtins.isList value then
      map plain value
    else
      value;
  devices = config.disko.devices;
  diskoConfig = devices._config;
  # disko's NixOS settings, as the mkMerge it returns.
  sections = name: (diskoConfig.${name} or { contents = [ ]; }).contents or [ diskoConfig.${name} ];
in
if failed != [ ] then
  throw "personal-cloud: node ${node} fails ${toString (builtins.length failed)} assertion(s): ${lib.concatStringsSep " " failed}"
else
  {
    node = config.personalCloud.node;
    k3s = {
      inherit (config.services.k3s) role clusterInit serverAddr tokenFile environmentFile nodeName nodeIP nodeLabel nodeTaint extraFlags;
      package = config.services.k3s.package.name;
    };
    tailscale = config.services.tailscale;
    firewall = config.networking.firewall;
    openssh = {
      inherit (config.services.openssh) enable openFirewall settings hostKeys;
      rootKeys = config.users.users.root.openssh.authorizedKeys.keys;
    };
    network = config.systemd.network;
    nix = {
      inherit (config.nix) settings distributedBuilds buildMachines;
      sshConfig = config.programs.ssh.extraConfig;
    };
    tmpfiles = config.systemd.tmpfiles.rules;
    disko = {
      devices = plain devices.disk;
      fileSystems = lib.foldl' (all: one: all // one) { } (sections "fileSystems");
      grubDevices = lib.concatMap (boot: boot.loader.grub.devices or [ ]) (sections "boot");
    };
  }
