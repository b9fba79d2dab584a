import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOC_NAMES, documentPath, type DocName } from './documents';
import { errorCode } from './node-error-code';

/**
 * sha256 over the documents' ciphertext (an absent file hashes as a marker), without decrypting.
 * It changes with every write of a document. Nx keys its cache on slice-fingerprints.ts instead,
 * which changes only with the slices a layer reads. No documents means all of them.
 */
export function fingerprintDocuments(dir: string, docs: readonly DocName[]): string {
  const hash = createHash('sha256');
  for (const doc of docs.length > 0 ? docs : DOC_NAMES) {
    hash.update(`${doc}\0`);
    try {
      hash.update(readFileSync(join(dir, documentPath(doc))));
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      hash.update('absent');
    }
  }
  return hash.digest('hex');
}
