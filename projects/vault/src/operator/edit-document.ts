import { canonicalJson, serializeDocument } from '../document-store';
import { formatFieldPath, parseDocumentText } from '../document-validation';
import type { DocName } from '../documents';
import type { Vault } from '../vault';
import { runEditor } from './editor-command';
import { diffJson } from './json-diff';
import { readFile } from 'node:fs/promises';
import { withSecureTempDir, type SecureTempPlaces } from '../secure-temp-dir';

export interface EditOptions {
  editor: string;
  env: NodeJS.ProcessEnv;
  /** Where the decrypted text may be put for the editor; default /dev/shm, $XDG_RUNTIME_DIR, else the temp dir. */
  tempPlaces?: SecureTempPlaces;
  /** Told when no memory-backed folder exists, so the operator knows the plaintext is on a disk while they edit. */
  warn?: (line: string) => void;
}

export type EditOutcome = { written: false } | { written: true; message: string };

/**
 * Decrypts a document into a 0600 file in a secure temp folder (in memory where there is a tmpfs), opens the editor on it, and writes back what
 * parses and matches the schema. An invalid edit is refused naming the field; an unchanged one
 * writes nothing. The writer lock is held throughout, so nobody else writes in between.
 */
export async function editDocument(vault: Vault, doc: DocName, options: EditOptions): Promise<EditOutcome> {
  return vault.withLock(`edit ${doc}`, async (session) => {
    const before = await session.read(doc);
    const original = serializeDocument(before);
    const edited = await withSecureTempDir(async (dir) => {
      const file = await dir.writeFile(`${doc}.json`, original);
      // No tmpfs here (macOS, some containers): editing still works, but the operator must know.
      if (!dir.inMemory)
        options.warn?.(`warning: no memory-backed folder here; ${file} is on disk (mode 0600) until the edit ends.`);
      await runEditor(options.editor, file, options.env);
      return readFile(file, 'utf8');
    }, options.tempPlaces);
    if (edited === original) return { written: false };
    const after = parseDocumentText(doc, edited, {
      what: `your edit of ${doc}`,
      fix: 'nothing was written, so run edit again to fix it',
    });
    if (canonicalJson(after) === canonicalJson(before)) return { written: false };
    const message = editCommitMessage(doc, before, after);
    await session.write(doc, after, message);
    return { written: true, message };
  });
}

/** `Edit vars by hand: CLUSTER.MASTER_1.ip, …`: field paths only, never values. */
export function editCommitMessage(doc: DocName, before: unknown, after: unknown): string {
  const paths = diffJson(before, after).map((change) => formatFieldPath(change.path));
  const shown = paths.slice(0, 5).join(', ');
  const more = paths.length > 5 ? ` and ${paths.length - 5} more` : '';
  return `Edit ${doc} by hand: ${shown}${more}`;
}
