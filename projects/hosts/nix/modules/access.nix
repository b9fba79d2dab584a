# Who gets in: the operator's key for root, by key only; and the host's own SSH key, which the
# hosts layer generates once and delivers as a file, so a reinstalled node keeps its identity.
{ config, ... }:
let
  access = config.personalCloud.node.access;
in
{
  services.openssh = {
    enable = true;
    settings = {
      PermitRootLogin = "prohibit-password";
      PasswordAuthentication = false;
      KbdInteractiveAuthentication = false;
    };
    hostKeys = [
      {
        path = access.hostKeyFile;
        type = "ed25519";
      }
    ];
  };
  users.users.root.openssh.authorizedKeys.keys = access.operatorKeys;
}
