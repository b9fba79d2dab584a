import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This workspace's root. */
export const WORKSPACE = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
export const NX = join(WORKSPACE, 'node_modules/.bin/nx');

/**
 * A private copy of the working tree (what git tracks or would track, as it is now) with
 * node_modules linked in: Nx runs there as on a fresh clone, and the test may change it freely.
 * `from` is this workspace unless another checkout is to be measured (the bench's "before").
 */
export function copyWorkspace(prefix: string, from: string = WORKSPACE): string {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: from, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    try {
      cpSync(join(from, file), join(work, file));
    } catch {
      // Listed but deleted in the working tree: not part of it.
    }
  }
  symlinkSync(join(from, 'node_modules'), join(work, 'node_modules'));
  return work;
}
