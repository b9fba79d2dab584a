# Placeholder for the operator's system flake; builder:provision overrides the input with
# vars.OXYGEN.system_flake.
{
  outputs = _: { nixosConfigurations = { }; };
}
