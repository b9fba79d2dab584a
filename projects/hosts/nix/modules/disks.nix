# The disks: the root disk by its stable path (an attached volume can take /dev/sda), GPT with a
# BIOS boot partition and an ESP so GRUB boots either way; each Hetzner volume by its id at its
# tier's path. The hot tier lives on the root disk's NVMe, as a directory.
{ config, lib, ... }:
let
  node = config.personalCloud.node;
  volumeDisk = volume: {
    name = "volume-${volume.name}";
    value = {
      type = "disk";
      device = "/dev/disk/by-id/scsi-0HC_Volume_${toString volume.hetznerId}";
      # A reinstall must never wipe a volume: disko then formats it only when it has no
      # filesystem yet, and otherwise mounts what is there.
      destroy = false;
      content = {
        type = "filesystem";
        inherit (volume) format;
        mountpoint = volume.mountPath;
        # A volume that is detached must not stop the node from booting.
        mountOptions = [ "defaults" "nofail" ];
      };
    };
  };
in
{
  disko.devices.disk = {
    root = {
      type = "disk";
      device = node.disks.root;
      content = {
        type = "gpt";
        partitions = {
          bios = {
            size = "1M";
            type = "EF02";
            priority = 1;
          };
          esp = {
            size = "512M";
            type = "EF00";
            priority = 2;
            content = {
              type = "filesystem";
              format = "vfat";
              mountpoint = "/boot";
              mountOptions = [ "umask=0077" ];
            };
          };
          root = {
            size = "100%";
            content = {
              type = "filesystem";
              format = "ext4";
              mountpoint = "/";
            };
          };
        };
      };
    };
  } // lib.listToAttrs (map volumeDisk node.disks.volumes);

  systemd.tmpfiles.rules = [ "d ${node.storage.hotPath} 0755 root root -" ];

  assertions =
    let
      paths = map (volume: volume.mountPath) node.disks.volumes;
      taken = [ "/" "/boot" "/nix" node.storage.hotPath ];
    in
    [
      {
        assertion = lib.unique paths == paths;
        message = "personalCloud.node.disks.volumes: node ${node.name} mounts two volumes at the same path (${toString paths}).";
      }
      {
        assertion = lib.all (path: !(lib.elem path taken)) paths;
        message = "personalCloud.node.disks.volumes: node ${node.name} mounts a volume over ${toString taken}, which the root disk holds.";
      }
    ];
}
