import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RECIPIENTS_FILE, renderRecipientsFile } from './age-recipients-file';
import { createFileExclusively } from './atomic-file-write';
import { SecretsGit } from './secrets-git';
import { GITIGNORE_TEXT } from './secrets-repo-layout';
import { acquireWriterLock } from './writer-lock';

/**
 * Creates the secrets repo on first use: git init, a .gitignore for the vault's transient files,
 * recipients.txt holding the identity's public key, and a first commit. A repo that already
 * has commits is left exactly as it is; a half-made one (interrupted init) is completed.
 */
export async function prepareSecretsRepo(dir: string, ownRecipient: string, log: (line: string) => void): Promise<void> {
  const git = new SecretsGit(dir, log);
  if (git.isRepository() && (await git.hasCommits())) return;
  await mkdir(join(dir, 'cluster'), { recursive: true, mode: 0o700 });
  const lock = await acquireWriterLock(dir, 'initialize the secrets repository', log);
  try {
    if (!git.isRepository()) await git.init();
    if (await git.hasCommits()) return;
    await createFileExclusively(join(dir, '.gitignore'), GITIGNORE_TEXT, 0o644);
    await createFileExclusively(join(dir, RECIPIENTS_FILE), renderRecipientsFile([ownRecipient]), 0o644);
    await git.commit(['.gitignore', RECIPIENTS_FILE], 'Initialize the secrets repository');
  } finally {
    await lock.release();
  }
}
