import { documentPath, emptyDocument, type DocName } from '../documents';
import type { VaultParts } from '../vault';
import { diffJson, formatJsonDiff } from './json-diff';

/**
 * The decrypted difference between a document's working file and its last commit, one field a
 * line. A document absent on either side counts as its empty default.
 */
export async function diffDocument(parts: VaultParts, doc: DocName): Promise<string> {
  const relative = documentPath(doc);
  const committed = await parts.git.showHead(relative);
  const before =
    committed === undefined ? emptyDocument(doc) : await parts.store.decode(doc, committed, `HEAD:${relative}`);
  const after = await parts.store.read(doc);
  const changes = diffJson(before, after);
  if (changes.length === 0) return `${relative}: no differences from HEAD.`;
  const header = `--- HEAD:${relative}${committed === undefined ? ' (absent)' : ''}\n+++ ${relative} (working file)`;
  return `${header}\n${formatJsonDiff(changes)}`;
}
