import { join, resolve } from 'node:path';
import type { IdentityKey } from './age-identity-file';
import { RECIPIENTS_FILE } from './age-recipients-file';
import { removeStaleTempFiles } from './atomic-file-write';
import { DocumentStore, canonicalJson, serializeDocument } from './document-store';
import { validateDocument } from './document-validation';
import { documentPath, type DocName, type Docs } from './documents';
import { fingerprintDocuments } from './fingerprint';
import { SecretsGit } from './secrets-git';
import { prepareSecretsRepo } from './secrets-repo-setup';
import { secretsDirStatus } from './secrets-repo-status';
import { describeSweep, sweepLeftoverTempDirs } from './secure-temp-dir';
import { openVaultIdentity } from './vault-identity';
import { VaultError } from './vault-error';
import type { VaultOptions } from './vault-options';
import { acquireWriterLock, type HeldLock } from './writer-lock';

export interface Vault {
  readonly dir: string;
  /** The identity's public key (age1…); the first key when the identity file holds several. */
  readonly recipient: string;
  /** A document's value, validated with its schema; its empty default when the file is absent. */
  read<D extends DocName>(doc: D): Promise<Docs[D]>;
  /** sha256 over the documents' ciphertext (absent files hash as a marker), without decrypting; no documents means all. */
  fingerprint(...docs: DocName[]): string;
  /** Takes the exclusive writer lock; refused in one sentence while another process holds it. */
  lock(purpose: string): Promise<VaultSession>;
  /** Runs `fn` holding the writer lock, and releases it however `fn` ends. */
  withLock<T>(purpose: string, fn: (session: VaultSession) => Promise<T>): Promise<T>;
}

export interface VaultSession {
  read<D extends DocName>(doc: D): Promise<Docs[D]>;
  /**
   * Validates, encrypts to every recipient, replaces the file atomically (the previous version
   * kept as `.backup`) and commits with `message`. Writing a value equal to the stored one
   * changes nothing: no new ciphertext, no commit, the same fingerprint.
   */
  write<D extends DocName>(doc: D, value: Docs[D], message: string): Promise<void>;
  /** Reads, applies `change`, writes; returns the value written. */
  update<D extends DocName>(doc: D, change: (current: Docs[D]) => Docs[D], message: string): Promise<Docs[D]>;
  /** Writes several documents as one change: each as `write` does, then a single commit for all. */
  writeAll(values: Partial<Docs>, message: string): Promise<void>;
  release(): Promise<void>;
}

/**
 * Opens the secrets repo: reads the identity and, in the sandbox world, creates the repo (and
 * the identity, when both are new) on first use. Nothing is decrypted until a document is read.
 */
export async function openVault(options: VaultOptions): Promise<Vault> {
  return (await openVaultParts(options)).vault;
}

/** The vault with the pieces the operator workflows (diff, rotate, commit) need beyond its public face. */
export interface VaultParts {
  vault: Vault;
  store: DocumentStore;
  git: SecretsGit;
  keys: readonly IdentityKey[];
  options: VaultOptions;
  log: (line: string) => void;
}

export interface OpenOptions {
  /** For `state commit --init`: vault files without .git are accepted, to be given a new history. */
  acceptMissingGit?: boolean;
}

export async function openVaultParts(options: VaultOptions, opening: OpenOptions = {}): Promise<VaultParts> {
  const log = options.log ?? ((line: string) => console.error(line));
  const dir = resolve(options.dir);
  // Before anything else, so a run after a SIGKILL never leaves the plaintext it finds lying there.
  const swept = describeSweep(await sweepLeftoverTempDirs());
  if (swept) log(swept);
  const status = await secretsDirStatus(dir);
  if (status.kind === 'absent' && !options.createOnFirstUse) {
    throw new VaultError(
      `${dir} holds no vault (no secrets repo there); check CLOUD_SECRETS_DIR, or create one with \`npm run state -- init\`.`,
    );
  }
  if (status.kind === 'foreign') {
    const shown = status.files.slice(0, 3).join(', ') + (status.files.length > 3 ? ', …' : '');
    throw new VaultError(
      `${dir} is not a secrets repo (it holds other files, ${shown}, and no recipients.txt or .git); point CLOUD_SECRETS_DIR at your secrets repo, nothing was written.`,
    );
  }
  if (status.kind === 'files-without-git' && !opening.acceptMissingGit) {
    throw new VaultError(
      `${dir} holds vault files (${status.files.join(', ')}) but no .git, so its history is missing; restore its .git from a backup or clone, or start a new history with \`npm run state -- commit --init\`.`,
    );
  }
  const keys = await openVaultIdentity(options.identityPath, dir, options.createOnFirstUse, log);
  const recipient = keys[0]!.recipient;
  if (status.kind !== 'files-without-git') await prepareSecretsRepo(dir, recipient, log);
  const store = new DocumentStore(dir, { keys, identityPath: options.identityPath });
  const git = new SecretsGit(dir, log);

  const lock = async (purpose: string): Promise<VaultSession> => {
    const held = await acquireWriterLock(dir, purpose, log);
    try {
      // We hold the lock, so a temp file of a document or of recipients.txt belongs to a writer
      // that died mid-write. (Temp files of .lock itself belong to processes queuing for it.)
      await removeStaleTempFiles(join(dir, 'cluster'));
      await removeStaleTempFiles(dir, [RECIPIENTS_FILE]);
    } catch (error) {
      await held.release();
      throw error;
    }
    return openSession(store, git, held);
  };

  const vault: Vault = {
    dir,
    recipient,
    read: (doc) => store.read(doc),
    fingerprint: (...docs) => fingerprintDocuments(dir, docs),
    lock,
    async withLock(purpose, fn) {
      const session = await lock(purpose);
      try {
        return await fn(session);
      } finally {
        await session.release();
      }
    },
  };
  return { vault, store, git, keys, options: { ...options, dir }, log };
}

function openSession(store: DocumentStore, git: SecretsGit, held: HeldLock): VaultSession {
  let open = true;
  const assertOpen = () => {
    if (!open) throw new Error('this vault session was released; take the lock again to read or write.');
  };

  // What each document holds, as far as this session knows: it holds the lock, so only it writes,
  // and comparing with what it read or wrote last spares decrypting the file again.
  const known = new Map<DocName, string>();
  const currentCanonical = async (doc: DocName): Promise<string | undefined> => {
    if (known.has(doc)) return known.get(doc);
    const text = await store.readPlaintext(doc);
    return text === undefined ? undefined : canonicalText(text);
  };

  /** Encrypts and replaces every document whose value changed; commits them together. */
  const writeAll = async (values: Partial<Docs>, message: string): Promise<void> => {
    assertOpen();
    if (message.trim() === '') throw new Error('writing a document needs a commit message that names the change.');
    const docs = (Object.keys(values) as DocName[]).filter((doc) => values[doc] !== undefined);
    const next = new Map(
      docs.map((doc) => [
        doc,
        validateDocument(doc, values[doc], { what: `the new ${doc} document`, fix: 'nothing was written' }),
      ]),
    );
    // Both checks come before anything is written: a writer outside the recipients could not read
    // back what it writes, and a document that cannot be decrypted must be restored, not overwritten.
    const recipients = await store.readRecipients();
    const changed: DocName[] = [];
    for (const doc of docs) if ((await currentCanonical(doc)) !== canonicalJson(next.get(doc))) changed.push(doc);
    for (const doc of changed) {
      await store.writeEncrypted(doc, serializeDocument(next.get(doc)), recipients);
      known.set(doc, canonicalJson(next.get(doc)));
    }
    if (changed.length) await git.commit(changed.map(documentPath), message);
    // Unchanged files may still be uncommitted: a writer killed between its rename and its commit.
    // They hold exactly these values, so commit them now rather than leave them out of history.
    else if (docs.length && (await git.pendingChanges(docs.map(documentPath))).length)
      await git.commit(docs.map(documentPath), 'Commit a write that was interrupted before its commit');
  };
  const write = <D extends DocName>(doc: D, value: Docs[D], message: string) =>
    writeAll({ [doc]: value } as Partial<Docs>, message);

  return {
    async read(doc) {
      assertOpen();
      const value = await store.read(doc);
      known.set(doc, canonicalJson(value));
      return value;
    },
    write,
    writeAll,
    async update(doc, change, message) {
      assertOpen();
      const next = change(await store.read(doc));
      await write(doc, next, message);
      return validateDocument(doc, next, { what: `the new ${doc} document`, fix: 'nothing was written' });
    },
    async release() {
      open = false;
      await held.release();
    },
  };
}

/** A document's text in canonical form, or undefined when it is not JSON (then it is never "the same"). */
function canonicalText(text: string): string | undefined {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return undefined;
  }
}
