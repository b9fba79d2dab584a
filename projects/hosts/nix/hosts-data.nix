# Reads hosts.json (written by `nx run hosts:render`) and checks that it is one this code reads.
# Every value is typed again by the personalCloud.node options when a node is evaluated.
{ hostsFile }:
let
  version = 2;
  data =
    if builtins.pathExists hostsFile then
      builtins.fromJSON (builtins.readFile hostsFile)
    else
      throw "personal-cloud: ${hostsFile} does not exist; run `npx nx run hosts:render` first.";
in
if (data.unset or false) then
  throw "personal-cloud: no hosts.json was given; pass --override-input render path:<the folder that `npx nx run hosts:render` writes>."
else if (data.version or null) != version then
  throw "personal-cloud: ${hostsFile} has version ${toString (data.version or "none")}, but these modules read version ${toString version}; run `npx nx run hosts:render` again."
else
  data
