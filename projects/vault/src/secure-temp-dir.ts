// The one place a run may put a file that holds a secret (a decrypted document for the editor,
// later a key handed to a tool): a private folder, in memory where the system has a tmpfs,
// removed when the run ends or is interrupted, and swept on the next run after a SIGKILL.
import { randomBytes } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { chmod, mkdir, open, readdir, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExitOrSignal } from './exit-cleanup';
import { errorCode } from './node-error-code';
import { VaultError } from './vault-error';
import { isProcessAlive } from './writer-lock';

/** statfs(2) magic numbers of filesystems that live in memory only. */
const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
/** `personal-cloud-<owner pid>-<random>`: the pid tells the sweep whether its owner still runs. */
const DIR_NAME = /^personal-cloud-(\d+)-[0-9a-f]{12}$/;

export interface SecureTempPlaces {
  /** Memory-backed directories, best first; the first one that is a tmpfs (or ramfs) is used. */
  memoryDirs: readonly string[];
  /** Used when none of them is: the system temp dir, on disk on most systems. */
  fallbackDir: string;
}

/**
 * $CLOUD_TEMP_DIR when set (the operator's choice, used alone); else /dev/shm, then
 * $XDG_RUNTIME_DIR; else the system temp dir. The sweep looks in the same places.
 */
export function secureTempPlaces(env: NodeJS.ProcessEnv = process.env): SecureTempPlaces {
  const chosen = env.CLOUD_TEMP_DIR?.trim();
  if (chosen) return { memoryDirs: [chosen], fallbackDir: chosen };
  return {
    memoryDirs: ['/dev/shm', env.XDG_RUNTIME_DIR].filter((dir): dir is string => Boolean(dir)),
    fallbackDir: tmpdir(),
  };
}

/** Where a secure temp folder goes: the first memory-backed candidate, else the fallback. */
export async function chooseSecureTempParent(places: SecureTempPlaces): Promise<{ dir: string; inMemory: boolean }> {
  for (const dir of places.memoryDirs) {
    if (await isMemoryBackedDirectory(dir)) return { dir, inMemory: true };
  }
  return { dir: places.fallbackDir, inMemory: false };
}

export interface SecureTempDir {
  /** The folder itself, mode 0700. */
  readonly path: string;
  /** True when it lives on a tmpfs: its files never reach a disk. */
  readonly inMemory: boolean;
  /** Creates `name` in the folder with mode 0600 (refusing to replace a file) and returns its path. */
  writeFile(name: string, content: string | Uint8Array): Promise<string>;
  /** Removes the folder and everything in it; safe to call more than once. */
  remove(): Promise<void>;
}

/** A new private folder, removed on exit and on SIGINT, SIGTERM or SIGHUP even if `remove` is never reached. */
export async function createSecureTempDir(places: SecureTempPlaces = secureTempPlaces()): Promise<SecureTempDir> {
  const parent = await chooseSecureTempParent(places);
  const path = join(parent.dir, `personal-cloud-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(path, { mode: DIR_MODE });
  } catch (error) {
    throw new VaultError(
      `could not create a private temp folder in ${parent.dir} (${errorCode(error) ?? (error as Error).message}); make that directory writable or set TMPDIR to one that is, nothing was decrypted.`,
    );
  }
  const forget = onExitOrSignal(() => rmSync(path, { recursive: true, force: true }));
  // mkdir's mode passes through the umask, which could only take bits away; say it exactly anyway.
  await chmod(path, DIR_MODE);
  return {
    path,
    inMemory: parent.inMemory,
    async writeFile(name, content) {
      const file = join(path, name);
      const handle = await open(file, 'wx', FILE_MODE);
      try {
        await handle.chmod(FILE_MODE);
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      return file;
    },
    async remove() {
      // Writable again first, should a tool have taken the owner's write bit away.
      try {
        chmodSync(path, DIR_MODE);
      } catch {
        // already gone
      }
      await rm(path, { recursive: true, force: true });
      // Only now: a signal during the removal still finds the folder registered.
      forget();
    },
  };
}

/** Runs `use` with a secure temp folder that is removed however `use` ends. */
export async function withSecureTempDir<T>(
  use: (dir: SecureTempDir) => Promise<T>,
  places?: SecureTempPlaces,
): Promise<T> {
  const dir = await createSecureTempDir(places);
  try {
    return await use(dir);
  } finally {
    await dir.remove();
  }
}

/**
 * Removes the secure temp folders of processes that no longer run (a SIGKILL cannot be caught),
 * in every place a folder may have been made, and returns their paths. Only this user's folders
 * are looked at; a folder whose pid is alive is left alone, whoever runs under that pid now.
 */
export async function sweepLeftoverTempDirs(places: SecureTempPlaces = secureTempPlaces()): Promise<string[]> {
  const removed: string[] = [];
  for (const parent of new Set([...places.memoryDirs, places.fallbackDir])) {
    let names: string[];
    try {
      names = await readdir(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const owner = DIR_NAME.exec(name)?.[1];
      if (owner === undefined || Number(owner) === process.pid || isProcessAlive(Number(owner))) continue;
      const path = join(parent, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return removed;
}

/** The sentence a command prints for what the sweep removed. */
export function describeSweep(removed: readonly string[]): string | undefined {
  if (removed.length === 0) return undefined;
  const what = removed.length === 1 ? 'a leftover temp folder' : `${removed.length} leftover temp folders`;
  return `Removed ${what} of an interrupted run, which held decrypted secrets: ${removed.join(', ')}.`;
}

async function isMemoryBackedDirectory(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    if (process.platform !== 'linux') return false;
    const { type } = await statfs(dir);
    return type === TMPFS_MAGIC || type === RAMFS_MAGIC;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'EACCES'].includes(errorCode(error) ?? '')) return false;
    throw error;
  }
}
