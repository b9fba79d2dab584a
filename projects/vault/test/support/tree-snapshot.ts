import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file under `root` with a hash of its content: equal snapshots mean nothing was changed. */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of await listFiles(root)) {
    out[relative(root, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The files (relative paths) under `root` whose bytes contain `marker`, plus "git object" when
 * any object of the repository `repo` (loose or packed, decompressed) does.
 */
export async function filesContaining(root: string, repo: string, marker: string): Promise<string[]> {
  const hits: string[] = [];
  for (const path of await listFiles(root)) {
    if ((await readFile(path)).includes(marker)) hits.push(relative(root, path));
  }
  const objects = execFileSync('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  if (objects.includes(marker)) hits.push('git object');
  return hits;
}
