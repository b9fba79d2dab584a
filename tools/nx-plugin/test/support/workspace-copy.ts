import { execFileSync, spawnSync } from 'node:child_process';
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

/** A fresh clone's environment in `work`: no token, no vault, no sandbox, a HOME of its own; no daemon, no Nx Cloud. */
export function freshCloneEnv(work: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: join(work, '.home'), NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true' };
}

/** Runs nx in `work`; the output without colours, whatever the environment asks for: assertions read plain text. */
export function runNx(work: string, env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; out: string } {
  const result = spawnSync(NX, args, { cwd: work, env, encoding: 'utf8' });
  return { code: result.status, out: `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}
