import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decryptAgeFile, encryptArmored, type AgeReader } from './age-file-codec';
import { RECIPIENTS_FILE, assertIdentityIsRecipient, parseRecipientsFile } from './age-recipients-file';
import { replaceFileAtomically } from './atomic-file-write';
import { parseDocumentText } from './document-validation';
import { documentPath, emptyDocument, type DocName, type Docs } from './documents';
import { errorCode } from './node-error-code';
import { VaultError } from './vault-error';

const DOCUMENT_MODE = 0o600;

/**
 * The encrypted documents of one secrets repo, without locking or git: decrypt in memory,
 * validate, encrypt, replace atomically. Plaintext only ever exists in memory here.
 */
export class DocumentStore {
  constructor(
    readonly dir: string,
    readonly reader: AgeReader,
  ) {}

  /** The absolute path of a document's file, which is also how messages name it. */
  file(doc: DocName): string {
    return join(this.dir, documentPath(doc));
  }

  async readCiphertext(doc: DocName): Promise<Buffer | undefined> {
    try {
      return await readFile(this.file(doc));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** The decrypted text, or undefined when the document has never been written. */
  async readPlaintext(doc: DocName): Promise<string | undefined> {
    const content = await this.readCiphertext(doc);
    return content === undefined ? undefined : decryptAgeFile(content, this.reader, this.file(doc));
  }

  /** A document's value, validated; its empty default when the file is absent. */
  async read<D extends DocName>(doc: D): Promise<Docs[D]> {
    const content = await this.readCiphertext(doc);
    if (content === undefined) return emptyDocument(doc);
    return this.decode(doc, content, this.file(doc));
  }

  /** Decrypts and validates ciphertext that came from anywhere (the working file, `git show`, …). */
  async decode<D extends DocName>(doc: D, content: Uint8Array, what: string): Promise<Docs[D]> {
    const text = await decryptAgeFile(content, this.reader, what);
    return parseDocumentText(doc, text, {
      what: `${what} decrypts, but`,
      fix: `correct it with \`npm run state -- edit ${doc}\` or restore it from ${what}.backup`,
    });
  }

  /** The recipients every write encrypts to; refuses when the writer is not among them. */
  async readRecipients(): Promise<string[]> {
    const path = join(this.dir, RECIPIENTS_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      const own = this.reader.keys[0]?.recipient ?? '';
      throw new VaultError(
        `${path} is missing, so there is no one to encrypt to; restore it from the secrets repo's git history or create it with your public key ${own}.`,
      );
    }
    const recipients = parseRecipientsFile(text, path);
    assertIdentityIsRecipient(
      recipients,
      this.reader.keys.map((key) => key.recipient),
      path,
    );
    return recipients;
  }

  /** Encrypts to every recipient and replaces the file atomically, keeping the old one as `.backup`. */
  async writeEncrypted(doc: DocName, plaintext: string, recipients: readonly string[]): Promise<void> {
    const armored = await encryptArmored(plaintext, recipients, join(this.dir, RECIPIENTS_FILE));
    await replaceFileAtomically(this.file(doc), armored, { mode: DOCUMENT_MODE, keepBackup: true });
  }
}

/** The JSON text a document is stored as: indented, so `age -d` output reads well. */
export function serializeDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** JSON with sorted keys: two documents are the same change-wise when these are equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
