// Nix's binary cache signing keys in Nix's own text form, made with Node's ed25519 so the key step
// needs no `nix` binary: the secret key is `name:base64(seed ‖ public key)` (64 bytes), the public
// key `name:base64(public key)` (32 bytes), as `nix key generate-secret` and
// `nix key convert-secret-to-public` write them.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CloudError } from '@personal-cloud/cluster';

export interface NixSigningKey {
  secret: string;
  public: string;
}

/** A key name is what `trusted-public-keys` shows: no colon, no spaces. */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function generateNixSigningKey(name: string): NixSigningKey {
  if (!KEY_NAME.test(name))
    throw new CloudError(
      `"${name}" is not a Nix key name: use letters, digits, ".", "_" and "-", e.g. personal-cloud-cache-1.`,
    );
  const { privateKey } = generateKeyPairSync('ed25519');
  const { seed, publicKey } = rawHalves(privateKey);
  return {
    secret: `${name}:${Buffer.concat([seed, publicKey]).toString('base64')}`,
    public: `${name}:${publicKey.toString('base64')}`,
  };
}

/** The public key of a secret key, checked: the stored public half must be the one the seed makes. */
export function nixPublicKeyOf(secret: string): string {
  const { name, bytes } = splitKey(secret, 64, 'secret');
  const seed = bytes.subarray(0, 32);
  const { publicKey } = rawHalves(privateKeyFromSeed(seed));
  if (!publicKey.equals(bytes.subarray(32)))
    throw new CloudError(`the Nix secret key "${name}:…" is damaged: its public half does not belong to its seed.`);
  return `${name}:${publicKey.toString('base64')}`;
}

/** The name and raw bytes of a `name:base64` key, or one sentence saying why it is not one. */
export function splitKey(text: string, length: 32 | 64, what: 'public' | 'secret'): { name: string; bytes: Buffer } {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon);
  const bytes = Buffer.from(text.slice(colon + 1).trim(), 'base64');
  if (colon < 1 || !KEY_NAME.test(name) || bytes.length !== length)
    throw new CloudError(`a Nix ${what} key must be "name:<base64 of ${length} bytes>"; the one given is not.`);
  return { name, bytes };
}

// An ed25519 PKCS#8 document is a fixed 16-byte header followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function privateKeyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function rawHalves(privateKey: KeyObject): { seed: Buffer; publicKey: Buffer } {
  const jwk = privateKey.export({ format: 'jwk' });
  return { seed: Buffer.from(jwk.d!, 'base64url'), publicKey: Buffer.from(jwk.x!, 'base64url') };
}
