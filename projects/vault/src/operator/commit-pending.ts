import { join } from 'node:path';
import { createFileExclusively } from '../atomic-file-write';
import { DOC_NAMES } from '../documents';
import { GITIGNORE_TEXT } from '../secrets-repo-layout';
import type { VaultParts } from '../vault';
import { VaultError } from '../vault-error';

export type CommitOutcome = { committed: false } | { committed: true; files: string[]; message: string };

/**
 * Commits whatever is pending in the secrets repo (a file re-encrypted by hand with the age CLI,
 * an edited recipients.txt), but only once every document decrypts and matches its schema and
 * the recipients file still includes the committer. With `startHistory` (`commit --init`), a
 * vault whose .git was lost gets a new repository first, holding the files as they are.
 */
export async function commitPending(parts: VaultParts, message?: string, startHistory = false): Promise<CommitOutcome> {
  return parts.vault.withLock('commit pending changes', async (session) => {
    for (const doc of DOC_NAMES) await session.read(doc);
    await parts.store.readRecipients();
    if (startHistory) {
      if (parts.git.isRepository())
        throw new VaultError(`${parts.vault.dir} already has a .git; run \`npm run state -- commit\` without --init.`);
      await parts.git.init();
      // Keeps one that survived; the lock and backups must stay out of the new history either way.
      await createFileExclusively(join(parts.vault.dir, '.gitignore'), GITIGNORE_TEXT, 0o644);
    }
    const files = (await parts.git.pendingChanges()).map((line) => line.slice(3));
    if (files.length === 0) return { committed: false };
    const fallback = startHistory ? 'Start a new history from the files on disk' : 'Commit pending changes';
    const subject = message?.trim() || `${fallback}: ${files.join(', ')}`;
    const committed = await parts.git.commit('everything', subject);
    return committed ? { committed: true, files, message: subject } : { committed: false };
  });
}
