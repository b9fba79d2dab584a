// What CLOUD_SECRETS_DIR holds, found without writing anything: the vault decides from this
// whether it may create a repo, an identity, or neither.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RECIPIENTS_FILE } from './age-recipients-file';
import { errorCode } from './node-error-code';
import { VaultError } from './vault-error';

export type SecretsDirStatus =
  /** Nothing there, or only what an interrupted first use leaves (lock, empty cluster/): a new vault may be made. */
  | { kind: 'absent' }
  /** A git repository: the vault as it should be. */
  | { kind: 'repository' }
  /** Vault files (recipients.txt, documents) without .git: its history is lost or was never made. */
  | { kind: 'files-without-git'; files: string[] }
  /** Other people's files and no vault: a mistyped CLOUD_SECRETS_DIR, never to be turned into a repo. */
  | { kind: 'foreign'; files: string[] };

/** Names an interrupted first use may leave behind; they make a directory no less new. */
const FIRST_USE_LEFTOVERS = /^(\.lock|\.lock\..+|\.gitignore|.+\.tmp)$/;

export async function secretsDirStatus(dir: string): Promise<SecretsDirStatus> {
  const top = await listDir(dir);
  if (top === undefined) return { kind: 'absent' };
  if (top.includes('.git')) return { kind: 'repository' };
  const cluster = top.includes('cluster') ? ((await listDir(join(dir, 'cluster'))) ?? []) : [];
  const vaultFiles = [
    ...top.filter((name) => name === RECIPIENTS_FILE),
    ...cluster.filter((name) => name.endsWith('.age') || name.endsWith('.age.backup')).map((name) => `cluster/${name}`),
  ];
  if (vaultFiles.length > 0) return { kind: 'files-without-git', files: vaultFiles };
  const foreign = [
    ...top.filter((name) => name !== 'cluster' && !FIRST_USE_LEFTOVERS.test(name)),
    ...cluster.filter((name) => !FIRST_USE_LEFTOVERS.test(name)).map((name) => `cluster/${name}`),
  ];
  return foreign.length > 0 ? { kind: 'foreign', files: foreign } : { kind: 'absent' };
}

/** A directory's entries; undefined when it does not exist. Anything else that is wrong is one sentence. */
async function listDir(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') {
      const isFile = await stat(dir).then(
        (info) => !info.isDirectory(),
        () => false,
      );
      const what = isFile ? 'is a file, not a directory' : 'lies under a file, not a directory';
      throw new VaultError(
        `the secrets repo ${dir} ${what}; point CLOUD_SECRETS_DIR at the secrets repo's directory (ENOTDIR).`,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new VaultError(
        `the secrets repo ${dir} cannot be read by this user (${code}); fix its permissions or point CLOUD_SECRETS_DIR elsewhere.`,
      );
    }
    throw error;
  }
}
