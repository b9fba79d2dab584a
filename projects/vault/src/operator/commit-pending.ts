import { DOC_NAMES } from '../documents';
import type { VaultParts } from '../vault';

export type CommitOutcome = { committed: false } | { committed: true; files: string[]; message: string };

/**
 * Commits whatever is pending in the secrets repo (a file re-encrypted by hand with the age CLI,
 * an edited recipients.txt), but only once every document decrypts and matches its schema and
 * the recipients file still includes the committer.
 */
export async function commitPending(parts: VaultParts, message?: string): Promise<CommitOutcome> {
  return parts.vault.withLock('commit pending changes', async (session) => {
    for (const doc of DOC_NAMES) await session.read(doc);
    await parts.store.readRecipients();
    const files = (await parts.git.pendingChanges()).map((line) => line.slice(3));
    if (files.length === 0) return { committed: false };
    const subject = message?.trim() || `Commit pending changes: ${files.join(', ')}`;
    const committed = await parts.git.commit('everything', subject);
    return committed ? { committed: true, files, message: subject } : { committed: false };
  });
}
