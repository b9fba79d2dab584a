import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createFileExclusively, replaceFileAtomically } from './atomic-file-write';
import { errorCode } from './node-error-code';
import { VaultError } from './vault-error';

/** One age secret key and the public key (recipient) it decrypts for. */
export interface IdentityKey {
  secret: string;
  recipient: string;
}

const IDENTITY_MODE = 0o600;

/**
 * Parses an age identity file: `AGE-SECRET-KEY-1…` lines, `#` comments and blank lines, as
 * age-keygen writes them. Every key is kept, since any of them may be the one a file is for.
 */
export async function parseIdentityFile(text: string, path: string): Promise<IdentityKey[]> {
  const keys: IdentityKey[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `line ${index + 1} of the age identity ${path}`;
    if (line.startsWith('-----BEGIN')) {
      throw new VaultError(
        `${where} starts an ssh or PEM key, which this vault cannot use; point CLOUD_AGE_IDENTITY at an age identity (AGE-SECRET-KEY-1…, as age-keygen writes).`,
      );
    }
    if (!line.startsWith('AGE-SECRET-KEY-')) {
      throw new VaultError(
        `${where} is not an age secret key (expected AGE-SECRET-KEY-1…); fix the file or point CLOUD_AGE_IDENTITY at your age identity.`,
      );
    }
    let recipient: string;
    try {
      recipient = await identityToRecipient(line);
    } catch {
      throw new VaultError(
        `${where} is a damaged age secret key (its checksum or length is wrong); restore the file from your backup.`,
      );
    }
    keys.push({ secret: line, recipient });
  }
  if (keys.length === 0) {
    throw new VaultError(
      `the age identity ${path} holds no secret key (AGE-SECRET-KEY-1…); restore it from your backup or point CLOUD_AGE_IDENTITY at your identity.`,
    );
  }
  return keys;
}

/** An identity file's text in age-keygen's layout. */
export function renderIdentityKey(key: IdentityKey, createdAt: Date): string {
  return `# created: ${createdAt.toISOString()}\n# public key: ${key.recipient}\n${key.secret}\n`;
}

/** A new X25519 key; post-quantum keys would be unreadable by Debian's age 1.1.1. */
export async function generateIdentityKey(): Promise<IdentityKey> {
  const secret = await generateX25519Identity();
  return { secret, recipient: await identityToRecipient(secret) };
}

export interface LoadIdentityOptions {
  createMissing: boolean;
  log: (line: string) => void;
}

/** Reads the identity at `path`; when it is missing and creation is allowed, generates it (mode 0600). */
export async function loadIdentity(path: string, options: LoadIdentityOptions): Promise<IdentityKey[]> {
  const text = await readIdentityText(path);
  if (text !== undefined) return parseIdentityFile(text, path);
  if (!options.createMissing) {
    throw new VaultError(
      `the age identity ${path} does not exist; set CLOUD_AGE_IDENTITY to your identity file or restore it from your backup.`,
    );
  }
  const key = await generateIdentityKey();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  if (await createFileExclusively(path, renderIdentityKey(key, new Date()), IDENTITY_MODE)) {
    options.log(
      `Created a new age identity at ${path} (public key ${key.recipient}); back it up, since nothing in the secrets repo can be read without it.`,
    );
    return [key];
  }
  // Another process created it first: use theirs, so both encrypt to the same key.
  return loadIdentity(path, { ...options, createMissing: false });
}

/** Rewrites an identity file in one step (temp, fsync, rename), keeping mode 0600. */
export async function writeIdentityFile(path: string, text: string): Promise<void> {
  await replaceFileAtomically(path, text, { mode: IDENTITY_MODE, keepBackup: false });
}

export async function readIdentityText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'EACCES')
      throw new VaultError(
        `the age identity ${path} is not readable by this user; fix its permissions (chmod 600, owned by you).`,
      );
    if (code === 'EISDIR')
      throw new VaultError(
        `the age identity ${path} is a directory; point CLOUD_AGE_IDENTITY at the identity file itself.`,
      );
    throw error;
  }
}
