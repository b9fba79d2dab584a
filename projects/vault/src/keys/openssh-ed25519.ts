// ed25519 keys in the forms OpenSSH reads: the public key line (`ssh-ed25519 AAAA… comment`) and
// the private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted openssh-key-v1, as
// ssh-keygen writes it). Node's crypto exports neither, and sshd and ssh do not read every
// PKCS#8 PEM, so the bytes are laid out here, following OpenSSH's PROTOCOL.key.
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { VaultError } from '../vault-error';

const KEY_TYPE = 'ssh-ed25519';
const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

export interface OpenSshKeyPair {
  /** `ssh-ed25519 <base64> <comment>`, for authorized_keys and known_hosts. */
  publicKey: string;
  /** The openssh-key-v1 file, unencrypted, ending in a newline. */
  privateKey: string;
}

/** A new ed25519 key pair in OpenSSH's forms. */
export function generateOpenSshKeyPair(comment: string): OpenSshKeyPair {
  return openSshKeyPair(generateKeyPairSync('ed25519').privateKey, comment);
}

/**
 * The OpenSSH private key file for an ed25519 key held as PKCS#8 PEM (as the sandbox's operator
 * key was first stored) or already in OpenSSH form (returned as it is).
 */
export function toOpenSshPrivateKey(privateKeyText: string, comment = ''): string {
  if (privateKeyText.includes(BEGIN)) return privateKeyText;
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyText);
  } catch {
    throw new VaultError('the private key is neither an OpenSSH private key nor a PEM private key.');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new VaultError(`the private key is ${key.asymmetricKeyType}, not ed25519.`);
  return openSshKeyPair(key, comment).privateKey;
}

/** The public key line of an OpenSSH ed25519 private key file. */
export function openSshPublicKeyOf(privateKeyFile: string): string {
  const body = privateKeyFile.trim();
  if (!body.startsWith(BEGIN) || !body.endsWith(END))
    throw new VaultError('the key is not an OpenSSH private key file.');
  const bytes = Buffer.from(body.slice(BEGIN.length, -END.length).replace(/\s+/g, ''), 'base64');
  const reader = new SshReader(bytes.subarray(MAGIC.length));
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new VaultError('the key is not in openssh-key-v1 form.');
  reader.string(); // cipher
  reader.string(); // kdf
  reader.string(); // kdf options
  reader.uint32(); // number of keys
  const publicBlob = reader.string();
  const type = new SshReader(publicBlob).string().toString();
  if (type !== KEY_TYPE) throw new VaultError(`the key is ${type}, not ${KEY_TYPE}.`);
  return `${KEY_TYPE} ${publicBlob.toString('base64')}`;
}

function openSshKeyPair(privateKey: KeyObject, comment: string): OpenSshKeyPair {
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d!, 'base64url');
  const pub = Buffer.from(jwk.x!, 'base64url');
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(pub)]);
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    sshString(KEY_TYPE),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  // Padded with 1, 2, 3, … to the cipher's block size, 8 for "none".
  const padding = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))]);
  const file = Buffer.concat([
    MAGIC,
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(secret),
  ]);
  const lines = file.toString('base64').match(/.{1,70}/g)!;
  return {
    publicKey: `${KEY_TYPE} ${publicBlob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    privateKey: `${BEGIN}\n${lines.join('\n')}\n${END}\n`,
  };
}

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([uint32(bytes.length), bytes]);
}

class SshReader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}
  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new VaultError('the OpenSSH key is truncated.');
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  string(): Buffer {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new VaultError('the OpenSSH key is truncated.');
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}
