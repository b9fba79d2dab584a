# TEST-ONLY: the NixOS options that the personal-cloud modules set, declared with the names and
# types NixOS gives them, so the mapping modules can be evaluated with the real lib.evalModules
# where nixpkgs is not available. It is only as true as these declarations: each cites the
# nixpkgs file that declares it. Options the modules do not set are left out on purpose.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  # nixos/lib/systemd-unit-options.nix (unitOption): an atom or a list of atoms.
  unitAtom = types.oneOf [ types.bool types.int types.str ];
  unitOption = types.either unitAtom (types.listOf unitAtom);
  unitSection = types.attrsOf unitOption;
  # nixos/modules/services/networking/firewall.nix (commonOptions)
  firewallPorts = {
    allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; };
    allowedUDPPorts = mkOption { type = types.listOf types.port; default = [ ]; };
    allowedTCPPortRanges = mkOption { type = types.listOf (types.attrsOf types.port); default = [ ]; };
    allowedUDPPortRanges = mkOption { type = types.listOf (types.attrsOf types.port); default = [ ]; };
  };
in
{
  options = {
    # nixos/modules/misc/assertions.nix
    assertions = mkOption { type = types.listOf types.unspecified; default = [ ]; };
    # nixos/modules/misc/nixpkgs.nix
    nixpkgs.hostPlatform = mkOption { type = types.either types.str types.attrs; };
    # nixos/modules/misc/version.nix
    system.stateVersion = mkOption { type = types.str; };

    # nixos/modules/tasks/network-interfaces.nix
    networking.hostName = mkOption { type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$"; };
    networking.useNetworkd = mkOption { type = types.bool; default = false; };
    networking.useDHCP = mkOption { type = types.bool; default = true; };

    # nixos/modules/system/boot/loader/grub/grub.nix
    boot.loader.grub = {
      enable = mkOption { type = types.bool; default = false; };
      efiSupport = mkOption { type = types.bool; default = false; };
      efiInstallAsRemovable = mkOption { type = types.bool; default = false; };
      devices = mkOption { type = types.listOf types.str; default = [ ]; };
    };

    # nixos/modules/system/boot/networkd.nix
    systemd.network = {
      enable = mkOption { type = types.bool; default = false; };
      links = mkOption {
        default = { };
        type = types.attrsOf (types.submodule {
          options.matchConfig = mkOption { type = unitSection; default = { }; };
          options.linkConfig = mkOption { type = unitSection; default = { }; };
        });
      };
      networks = mkOption {
        default = { };
        type = types.attrsOf (types.submodule {
          options.matchConfig = mkOption { type = unitSection; default = { }; };
          options.networkConfig = mkOption { type = unitSection; default = { }; };
          options.address = mkOption { type = types.listOf types.str; default = [ ]; };
          options.routes = mkOption { type = types.listOf unitSection; default = [ ]; };
          options.DHCP = mkOption { type = types.nullOr types.str; default = null; };
        });
      };
    };
    # nixos/modules/system/boot/systemd/tmpfiles.nix
    systemd.tmpfiles.rules = mkOption { type = types.listOf types.str; default = [ ]; };

    # nixos/modules/services/cluster/rancher/default.nix (shared with rke2) and rancher/k3s.nix
    services.k3s = {
      enable = mkOption { type = types.bool; default = false; };
      package = mkOption { type = types.package; };
      role = mkOption { type = types.enum [ "server" "agent" ]; default = "server"; };
      serverAddr = mkOption { type = types.str; default = ""; };
      tokenFile = mkOption { type = types.nullOr types.path; default = null; };
      environmentFile = mkOption { type = types.nullOr types.path; default = null; };
      extraFlags = mkOption { type = types.either types.str (types.listOf types.str); default = [ ]; };
      nodeName = mkOption { type = types.nullOr types.str; default = null; };
      nodeLabel = mkOption { type = types.listOf types.str; default = [ ]; };
      nodeTaint = mkOption { type = types.listOf types.str; default = [ ]; };
      nodeIP = mkOption { type = types.nullOr types.str; default = null; };
      clusterInit = mkOption { type = types.bool; default = false; };
    };

    # nixos/modules/services/networking/tailscale.nix
    services.tailscale = {
      enable = mkOption { type = types.bool; default = false; };
      authKeyFile = mkOption { type = types.nullOr types.path; default = null; };
      openFirewall = mkOption { type = types.bool; default = false; };
      extraUpFlags = mkOption { type = types.listOf types.str; default = [ ]; };
      useRoutingFeatures = mkOption { type = types.enum [ "none" "client" "server" "both" ]; default = "none"; };
    };

    # nixos/modules/services/networking/firewall.nix
    networking.firewall = firewallPorts // {
      enable = mkOption { type = types.bool; default = true; };
      interfaces = mkOption { type = types.attrsOf (types.submodule { options = firewallPorts; }); default = { }; };
      trustedInterfaces = mkOption { type = types.listOf types.str; default = [ ]; };
      checkReversePath = mkOption { type = types.either types.bool (types.enum [ "strict" "loose" ]); default = true; };
    };

    # nixos/modules/services/networking/ssh/sshd.nix
    services.openssh = {
      enable = mkOption { type = types.bool; default = false; };
      openFirewall = mkOption { type = types.bool; default = true; };
      hostKeys = mkOption { type = types.listOf types.attrs; default = [ ]; };
      settings = mkOption {
        default = { };
        type = types.submodule {
          freeformType = types.attrsOf unitOption;
          options.PermitRootLogin = mkOption {
            type = types.enum [ "yes" "without-password" "prohibit-password" "forced-commands-only" "no" ];
            default = "prohibit-password";
          };
          options.PasswordAuthentication = mkOption { type = types.bool; default = true; };
          options.KbdInteractiveAuthentication = mkOption { type = types.bool; default = true; };
        };
      };
    };
    # nixos/modules/services/networking/ssh/sshd.nix (userOptions, merged into users.users)
    users.users = mkOption {
      default = { };
      type = types.attrsOf (types.submodule {
        options.openssh.authorizedKeys.keys = mkOption { type = types.listOf types.singleLineStr; default = [ ]; };
      });
    };

    # nixos/modules/config/nix-remote-build.nix
    nix.distributedBuilds = mkOption { type = types.bool; default = false; };
    nix.buildMachines = mkOption {
      default = [ ];
      type = types.listOf (types.submodule {
        options = {
          hostName = mkOption { type = types.str; };
          systems = mkOption { type = types.listOf types.str; default = [ ]; };
          sshUser = mkOption { type = types.nullOr types.str; default = null; };
          sshKey = mkOption { type = types.nullOr types.str; default = null; };
          maxJobs = mkOption { type = types.int; default = 1; };
          speedFactor = mkOption { type = types.int; default = 1; };
          supportedFeatures = mkOption { type = types.listOf types.str; default = [ ]; };
          mandatoryFeatures = mkOption { type = types.listOf types.str; default = [ ]; };
          protocol = mkOption { type = types.nullOr (types.enum [ "ssh" "ssh-ng" ]); default = "ssh"; };
          publicHostKey = mkOption { type = types.nullOr types.str; default = null; };
        };
      });
    };
    # nixos/modules/programs/ssh.nix
    programs.ssh.extraConfig = mkOption { type = types.lines; default = ""; };
    # nixos/modules/config/nix.nix
    nix.settings = mkOption {
      default = { };
      type = types.submodule {
        freeformType = types.attrsOf unitOption;
        options.substituters = mkOption { type = types.listOf types.str; default = [ ]; };
        options.trusted-public-keys = mkOption { type = types.listOf types.str; default = [ ]; };
        options.experimental-features = mkOption { type = types.listOf types.str; default = [ ]; };
      };
    };
  };
}
