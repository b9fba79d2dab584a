import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateIdentityKey, readIdentityText, renderIdentityKey, writeIdentityFile } from '../age-identity-file';
import { RECIPIENTS_FILE, parseRecipientsFile, replaceRecipients } from '../age-recipients-file';
import { replaceFileAtomically } from '../atomic-file-write';
import { serializeDocument } from '../document-store';
import { DOC_NAMES, documentPath, type DocName } from '../documents';
import type { VaultParts } from '../vault';
import { VaultError } from '../vault-error';

export interface Rotation {
  retired: string[];
  recipient: string;
  reencrypted: DocName[];
  oldIdentityPath: string;
}

/**
 * Replaces the identity with a new one and re-encrypts every document to it. The order keeps
 * every document readable at every instant, so a crash anywhere is followed by a clean rerun:
 * the new key is appended to the identity file first (old and new both decrypt), documents are
 * re-encrypted, recipients.txt swaps the old key for the new, all of it is committed at once,
 * and only then does the identity file shrink to the new key (the old one kept as `.old`).
 */
export async function rotateIdentity(parts: VaultParts): Promise<Rotation> {
  const { vault, store, git, keys, options } = parts;
  return vault.withLock('rotate the age identity', async (session) => {
    // Everything must decrypt before anything changes: a rotation cannot repair a broken document.
    const documents = new Map<DocName, unknown>();
    for (const doc of DOC_NAMES) {
      if ((await store.readCiphertext(doc)) !== undefined) documents.set(doc, await session.read(doc));
    }
    await store.readRecipients();
    const recipientsPath = join(store.dir, RECIPIENTS_FILE);
    const recipientsText = await readFile(recipientsPath, 'utf8');
    const identityText = await readIdentityText(options.identityPath);
    if (identityText === undefined)
      throw new VaultError(
        `the age identity ${options.identityPath} disappeared during rotation; restore it and run rotate again.`,
      );

    const fresh = await generateIdentityKey();
    const now = new Date();
    await writeIdentityFile(options.identityPath, `${withFinalNewline(identityText)}${renderIdentityKey(fresh, now)}`);

    const retired = keys.map((key) => key.recipient);
    const nextRecipientsText = replaceRecipients(recipientsText, retired, fresh.recipient);
    const nextRecipients = parseRecipientsFile(nextRecipientsText, recipientsPath);
    for (const [doc, value] of documents) await store.writeEncrypted(doc, serializeDocument(value), nextRecipients);
    await replaceFileAtomically(recipientsPath, nextRecipientsText, { mode: 0o644, keepBackup: false });
    await git.commit(
      [...[...documents.keys()].map(documentPath), RECIPIENTS_FILE],
      `Rotate the age identity: re-encrypt to ${fresh.recipient} instead of ${retired.join(', ')}`,
    );

    // Keys retired earlier stay in .old too, so every commit in history remains readable.
    const oldIdentityPath = `${options.identityPath}.old`;
    const earlier = (await readIdentityText(oldIdentityPath)) ?? '';
    await writeIdentityFile(oldIdentityPath, `${withFinalNewline(earlier)}${withFinalNewline(identityText)}`);
    await writeIdentityFile(options.identityPath, renderIdentityKey(fresh, now));
    return { retired, recipient: fresh.recipient, reencrypted: [...documents.keys()], oldIdentityPath };
  });
}

function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
