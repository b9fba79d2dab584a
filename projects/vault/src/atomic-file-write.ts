import { randomBytes } from 'node:crypto';
import { copyFile, type FileHandle, link, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode } from './node-error-code';
import { VaultError } from './vault-error';

const TEMP_SUFFIX = '.tmp';

/** A fresh temp name beside `path`, so the final rename stays on one filesystem. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
}

const TEMP_NAME = /^\.(.+)\.\d+-[0-9a-f]{12}\.tmp$/;

/** True for names tempPathFor makes; only a dead writer leaves one behind. */
export function isTempFileName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Removes temp files left by writers that died mid-write, for the given target names only (or
 * all of them). Only for files written under the vault lock: a temp file of a lock being created
 * belongs to a live process that does not hold the lock, and must be left alone.
 */
export async function removeStaleTempFiles(dir: string, targets?: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  const stale = names.filter((name) => {
    const target = TEMP_NAME.exec(name)?.[1];
    return target !== undefined && (targets === undefined || targets.includes(target));
  });
  await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
  return stale;
}

export interface ReplaceOptions {
  mode: number;
  /** Keep the version being replaced as `<path>.backup`. */
  keepBackup: boolean;
}

/**
 * Replaces a file so that a crash at any instant leaves either the old or the new content,
 * never a torn file: write a temp file beside it, fsync, (keep the old one as .backup),
 * rename over the target, fsync the directory.
 */
export async function replaceFileAtomically(
  path: string,
  data: string | Uint8Array,
  options: ReplaceOptions,
): Promise<void> {
  const temp = await writeTempFile(path, data, options.mode);
  try {
    if (options.keepBackup) await keepBackupOf(path);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dirname(path));
}

/**
 * Creates a file only if nothing is at `path`, with its whole content visible at once:
 * link(2) of a complete temp file fails with EEXIST exactly like O_EXCL would.
 * Returns false when the path already existed.
 */
export async function createFileExclusively(path: string, data: string | Uint8Array, mode: number): Promise<boolean> {
  const temp = await writeTempFile(path, data, mode);
  try {
    await link(temp, path);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    if (!isLinkUnsupported(error)) throw error;
    // Filesystems without hard links: O_EXCL, then the content (a reader may see it short for a moment).
    try {
      const handle = await open(path, 'wx', mode);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (inner) {
      if (errorCode(inner) === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    await rm(temp, { force: true });
  }
  await fsyncDirectory(dirname(path));
  return true;
}

/** Makes a rename or unlink in `dir` durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms cannot open or fsync a directory; the rename is still atomic there.
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

async function writeTempFile(path: string, data: string | Uint8Array, mode: number): Promise<string> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', mode).catch((error: unknown) => {
    throw unwritableDirectoryError(dirname(path), error);
  });
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

/** Every write starts with a temp file, so this is where a directory that takes no writes shows. */
function unwritableDirectoryError(dir: string, error: unknown): unknown {
  const code = errorCode(error);
  const problem =
    code === 'EROFS'
      ? 'is on a read-only file system'
      : code === 'EACCES' || code === 'EPERM'
        ? 'is not writable by this user'
        : undefined;
  if (problem === undefined) return error;
  return new VaultError(
    `${dir} ${problem} (${code}), so nothing could be written there; make it writable, nothing was changed.`,
  );
}

/** The current version becomes `<path>.backup`; a hard link costs no copy and keeps the inode intact. */
async function keepBackupOf(path: string): Promise<void> {
  const backup = `${path}.backup`;
  const temp = tempPathFor(backup);
  try {
    await link(path, temp);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    if (!isLinkUnsupported(error)) throw error;
    await copyFile(path, temp);
  }
  try {
    await rename(temp, backup);
  } finally {
    // rename(2) between two links of one inode succeeds without doing anything, which happens
    // when a crash left .backup linked to the current file; the temp name must still go.
    await unlink(temp).catch(() => undefined);
  }
}

function isLinkUnsupported(error: unknown): boolean {
  return ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errorCode(error) ?? '');
}
