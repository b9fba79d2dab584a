// Which identity opens a secrets repo, and the one case where a new one may be made: a repo
// that is new too. A new key for a repo encrypted to another would only fail a step later.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadIdentity, parseIdentityFile, readIdentityText, type IdentityKey } from './age-identity-file';
import { RECIPIENTS_FILE, parseRecipientsFile } from './age-recipients-file';
import { VaultError } from './vault-error';

export async function openVaultIdentity(
  identityPath: string,
  dir: string,
  createOnFirstUse: boolean,
  log: (line: string) => void,
): Promise<IdentityKey[]> {
  const text = await readIdentityText(identityPath);
  if (text !== undefined) return parseIdentityFile(text, identityPath);
  const encryptedTo = await recipientsOf(dir);
  if (createOnFirstUse && encryptedTo === 'nothing-encrypted')
    return loadIdentity(identityPath, { createMissing: true, log });
  if (encryptedTo === 'nothing-encrypted') {
    throw new VaultError(
      `the age identity ${identityPath} does not exist; set CLOUD_AGE_IDENTITY to your identity file, restore it from your backup, or make one with \`npm run state -- init\`.`,
    );
  }
  const keys = encryptedTo === 'unknown' ? 'keys its recipients.txt no longer lists' : encryptedTo.join(', ');
  throw new VaultError(
    `the age identity ${identityPath} does not exist, and the secrets repo ${dir} is encrypted to ${keys}; point CLOUD_AGE_IDENTITY at the identity of one of those keys or restore it from your backup, nothing was written.`,
  );
}

/** The keys the repo's documents are for; 'nothing-encrypted' for a repo with no recipients and no documents yet. */
async function recipientsOf(dir: string): Promise<string[] | 'unknown' | 'nothing-encrypted'> {
  const path = join(dir, RECIPIENTS_FILE);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const recipients = text === undefined ? [] : parseRecipientsFile(text, path);
  if (recipients.length > 0) return recipients;
  const documents = (await readdir(join(dir, 'cluster')).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.age'),
  );
  return documents.length > 0 ? 'unknown' : 'nothing-encrypted';
}
