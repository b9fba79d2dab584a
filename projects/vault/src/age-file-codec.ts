import { Decrypter, Encrypter, armor } from 'age-encryption';
import type { IdentityKey } from './age-identity-file';
import { VaultError } from './vault-error';

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
const BINARY_MAGIC = 'age-encryption.org/v1\n';

/** Who is decrypting: every key of the identity file is tried. */
export interface AgeReader {
  keys: readonly IdentityKey[];
  identityPath: string;
}

/** Encrypts to every recipient and ASCII-armors the result, as `age -e -a -R recipients.txt` does. */
export async function encryptArmored(
  plaintext: string,
  recipients: readonly string[],
  recipientsFile: string,
): Promise<string> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) {
    try {
      encrypter.addRecipient(recipient);
    } catch {
      throw new VaultError(
        `${recipientsFile} holds a recipient that is not a valid age public key (${recipient}: bad checksum or length); fix or remove that line.`,
      );
    }
  }
  return armor.encode(await encrypter.encrypt(plaintext));
}

/**
 * Decrypts an age file (armored, as the vault writes, or binary, as `age -e` writes without -a).
 * Every failure is one sentence that tells a wrong key from a damaged file.
 */
export async function decryptAgeFile(content: Uint8Array, reader: AgeReader, file: string): Promise<string> {
  const restore = `restore it from ${file}.backup or from the secrets repo's git history`;
  const ciphertext = dearmor(content, file, restore);
  const decrypter = new Decrypter();
  for (const key of reader.keys) decrypter.addIdentity(key.secret);
  try {
    return await decrypter.decrypt(ciphertext, 'text');
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (message.includes('no identity matched')) {
      const own = reader.keys.map((key) => key.recipient).join(', ');
      throw new VaultError(
        `${file} is not encrypted to your age identity ${reader.identityPath} (public key ${own}); use the identity it was written for via CLOUD_AGE_IDENTITY, or have its owner add your key to recipients.txt and rewrite it.`,
      );
    }
    if (message.includes('stream ended') || message.includes('too small')) {
      throw new VaultError(`${file} is truncated (it ends inside the encrypted data); ${restore}.`);
    }
    // Armor ends with an END line, so an armored file that got this far is whole; a binary file
    // has no such marker, and a cut one fails the same integrity check as a damaged one.
    const damage = isBinary(content) ? 'corrupted or truncated' : 'corrupted';
    throw new VaultError(`${file} is ${damage} (it fails age's integrity check: ${message}); ${restore}.`);
  }
}

function isBinary(content: Uint8Array): boolean {
  return Buffer.from(content.subarray(0, BINARY_MAGIC.length)).toString('latin1') === BINARY_MAGIC;
}

function dearmor(content: Uint8Array, file: string, restore: string): Uint8Array {
  const text = Buffer.from(content).toString('latin1');
  if (text.trim() === '') throw new VaultError(`${file} is empty, a truncated write; ${restore}.`);
  if (text.startsWith(BINARY_MAGIC)) return content;
  if (BINARY_MAGIC.startsWith(text))
    throw new VaultError(`${file} is truncated (it ends inside the age header); ${restore}.`);
  const trimmed = text.trim();
  if (!trimmed.startsWith(ARMOR_BEGIN)) {
    throw new VaultError(`${file} is not an age-encrypted file (no "${ARMOR_BEGIN}" line); ${restore}.`);
  }
  if (!trimmed.endsWith(ARMOR_END))
    throw new VaultError(`${file} is truncated (its armor has no END line); ${restore}.`);
  try {
    return armor.decode(trimmed);
  } catch (error) {
    throw new VaultError(`${file} is corrupted (its ASCII armor is damaged: ${(error as Error).message}); ${restore}.`);
  }
}
