import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RECIPIENTS_FILE, renderRecipientsFile } from './age-recipients-file';
import { createFileExclusively } from './atomic-file-write';
import { SecretsGit } from './secrets-git';
import { GITIGNORE_TEXT } from './secrets-repo-layout';
import { VaultError } from './vault-error';
import { acquireWriterLock, type HeldLock } from './writer-lock';

const INIT_WAIT_MS = 10_000;

/**
 * Creates the secrets repo on first use: git init, a .gitignore for the vault's transient files,
 * recipients.txt holding the identity's public key, and a first commit. A repo that already
 * has commits is left exactly as it is; a half-made one (interrupted init) is completed.
 */
export async function prepareSecretsRepo(
  dir: string,
  ownRecipient: string,
  log: (line: string) => void,
): Promise<void> {
  const git = new SecretsGit(dir, log);
  if (git.isRepository() && (await git.hasCommits())) return;
  await mkdir(join(dir, 'cluster'), { recursive: true, mode: 0o700 });
  const lock = await lockForInitializing(dir, git, log);
  if (lock === 'initialized') return;
  try {
    if (!git.isRepository()) await git.init();
    if (await git.hasCommits()) return;
    await createFileExclusively(join(dir, '.gitignore'), GITIGNORE_TEXT, 0o644);
    await createFileExclusively(join(dir, RECIPIENTS_FILE), renderRecipientsFile([ownRecipient]), 0o644);
    await git.commit(['.gitignore', RECIPIENTS_FILE], 'Initialize the secrets repository');
    log(`Created the secrets repo ${dir}, encrypted to ${ownRecipient} (its recipients.txt).`);
  } finally {
    await lock.release();
  }
}

/**
 * Parallel tasks on a fresh clone all open the vault at once; the first initializes it and the
 * others wait for that (a second or so), instead of failing on the held lock.
 */
async function lockForInitializing(
  dir: string,
  git: SecretsGit,
  log: (line: string) => void,
): Promise<HeldLock | 'initialized'> {
  const deadline = Date.now() + INIT_WAIT_MS;
  for (;;) {
    try {
      return await acquireWriterLock(dir, 'initialize the secrets repository', log);
    } catch (error) {
      if (git.isRepository() && (await git.hasCommits())) return 'initialized';
      if (!(error instanceof VaultError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
