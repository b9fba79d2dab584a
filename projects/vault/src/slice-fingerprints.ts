// Per-slice fingerprints of the documents, kept beside the ciphertext in cluster/fingerprints.json,
// so that Nx can key each layer's cache on the parts of the vault that layer reads without
// decrypting anything (tools/nx-plugin/src/task-fingerprints.ts reads this file).
//
// age encryption is randomized: a document's ciphertext changes on every write, whatever changed
// in it. A slice's digest changes only when that slice's plaintext does.
//
// The digests are HMAC-SHA256 under a key derived from the identity, never plain hashes: a slice
// may hold a low-entropy value (an address, a port, a server ID) whose plain sha256 could be
// brute-forced from the file, which lies in plaintext in the secrets repo. Without the identity
// the digests say nothing; the identity reads the documents anyway.
//
// The file is derived data and git-ignored (secrets-repo-layout.ts). Each document's entry names
// the sha256 of the ciphertext it was computed from: when a document was written some other way
// (the age CLI, a restored backup, a fresh clone without the file), the entry no longer matches and
// the reader falls back to that document's ciphertext, which is coarse but never stale.
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IdentityKey } from './age-identity-file';
import { replaceFileAtomically } from './atomic-file-write';
import { canonicalJson } from './canonical-json';
import type { DocName, Docs } from './documents';
import { errorCode } from './node-error-code';
import { FINGERPRINTS_FILE } from './secrets-repo-layout';

export { FINGERPRINTS_FILE } from './secrets-repo-layout';

export interface DocumentFingerprints {
  /** sha256 (hex) of the ciphertext file these slices were digested from. */
  ciphertext: string;
  /** Slice name (`vars.CLUSTER`, `state.layers.infra`, `tokens.hcloud`) → HMAC of its canonical plaintext. */
  slices: Record<string, string>;
}

export interface FingerprintsFile {
  version: 1;
  documents: Partial<Record<DocName, DocumentFingerprints>>;
}

/**
 * The slices of a document, the units a layer reads: each top-level key of vars and tokens, and
 * each layer's part of state (plus state's other top-level fields, such as its version).
 */
export function documentSlices<D extends DocName>(doc: D, value: Docs[D]): Map<string, unknown> {
  const slices = new Map<string, unknown>();
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (doc === 'state' && key === 'layers')
      for (const [layer, part] of Object.entries(inner as Record<string, unknown>))
        slices.set(`state.layers.${layer}`, part);
    else slices.set(`${doc}.${key}`, inner);
  }
  return slices;
}

/** The HMAC key: derived from the identity's first secret key, under a label of its own so it is no other key. */
export function fingerprintKey(keys: readonly IdentityKey[]): Buffer {
  const secret = keys[0]?.secret;
  if (!secret) throw new Error('fingerprinting the vault needs the identity, which holds no key.');
  return createHmac('sha256', secret).update('personal-cloud vault slice fingerprints v1').digest();
}

export function fingerprintDocument<D extends DocName>(
  doc: D,
  value: Docs[D],
  ciphertext: Uint8Array,
  key: Buffer,
): DocumentFingerprints {
  const slices: Record<string, string> = {};
  for (const [name, part] of [...documentSlices(doc, value)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    slices[name] = createHmac('sha256', key).update(canonicalJson(part)).digest('hex');
  return { ciphertext: createHash('sha256').update(ciphertext).digest('hex'), slices };
}

/** Replaces one document's entry (atomically); the caller holds the writer lock, so no one else writes the file. */
export async function recordDocumentFingerprints(
  dir: string,
  doc: DocName,
  fingerprints: DocumentFingerprints,
): Promise<void> {
  const current = await readFingerprintsFile(dir);
  const next: FingerprintsFile = { version: 1, documents: { ...current.documents, [doc]: fingerprints } };
  await replaceFileAtomically(join(dir, FINGERPRINTS_FILE), `${JSON.stringify(next, null, 2)}\n`, {
    mode: 0o644,
    keepBackup: false,
  });
}

/** The file's content; an absent or unreadable file is an empty one (every reader then falls back to ciphertext). */
export async function readFingerprintsFile(dir: string): Promise<FingerprintsFile> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, FINGERPRINTS_FILE), 'utf8')) as Partial<FingerprintsFile>;
    if (parsed.version === 1 && parsed.documents && typeof parsed.documents === 'object')
      return { version: 1, documents: parsed.documents };
  } catch (error) {
    if (errorCode(error) !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  return { version: 1, documents: {} };
}
