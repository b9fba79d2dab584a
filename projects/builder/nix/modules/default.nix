{
  imports = [
    ./oxygen-options.nix
    ./oxygen.nix
  ];
}
