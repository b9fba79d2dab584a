import { mkdtemp, open, readFile, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../node-error-code';
import { VaultError } from '../vault-error';

/** statfs(2) magic numbers of filesystems that live in memory only. */
const TMPFS_MAGIC = 0x01021994;
const RAMFS_MAGIC = 0x858458f6;

/** Where decrypted text may be put for an editor: memory-backed directories, best first. */
export function memoryDirCandidates(env: NodeJS.ProcessEnv): string[] {
  return ['/dev/shm', env.XDG_RUNTIME_DIR].filter((dir): dir is string => Boolean(dir));
}

/**
 * The first candidate that is a directory in memory (on Linux, tmpfs or ramfs). Plaintext must
 * never reach a persistent disk, so there is no fallback to /tmp.
 */
export async function chooseMemoryDir(candidates: readonly string[]): Promise<string> {
  for (const dir of candidates) {
    if (await isMemoryBackedDirectory(dir)) return dir;
  }
  const tried = candidates.length > 0 ? candidates.join(' and ') : '/dev/shm and $XDG_RUNTIME_DIR';
  throw new VaultError(`no memory-backed directory to hold the decrypted text for editing (tried ${tried}); mount a tmpfs at /dev/shm or set XDG_RUNTIME_DIR to one, nothing was decrypted to disk.`);
}

async function isMemoryBackedDirectory(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    if (process.platform !== 'linux') return true;
    const { type } = await statfs(dir);
    return type === TMPFS_MAGIC || type === RAMFS_MAGIC;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'EACCES'].includes(errorCode(error) ?? '')) return false;
    throw error;
  }
}

/**
 * Runs `use` with a file holding `content`, mode 0600 in a private 0700 directory under `parent`,
 * and returns what the file holds afterwards. The directory is removed however `use` ends.
 */
export async function withScratchFile(parent: string, name: string, content: string, use: (path: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(join(parent, 'personal-cloud-edit-'));
  try {
    const path = join(dir, name);
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    await use(path);
    return await readFile(path, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
