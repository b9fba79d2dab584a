// Private keys by their shape, whoever made them: PEM and OpenSSH private key blocks, and Nix
// secret keys (`name:` and the base64 of 64 bytes). The vault's own token values are looked for
// separately (the vault's token-leaks); this finds a key the vault has never seen.

const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/;
const NIX_SECRET = /(?:^|[\s"'=])([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9+/]{86}==)/m;

/** What kind of private key the text holds, or undefined. */
export function privateKeyShape(text: string): string | undefined {
  const pem = PEM_PRIVATE.exec(text);
  if (pem) return `a ${pem[1] ? `${pem[1].trim()} ` : ''}private key block`;
  const nix = NIX_SECRET.exec(text);
  if (nix && Buffer.from(nix[2]!, 'base64').length === 64) return `the Nix secret key "${nix[1]}:…"`;
  return undefined;
}
