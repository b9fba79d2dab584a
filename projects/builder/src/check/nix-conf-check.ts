// A nix.conf as the real `nix` reads it: it is the only nix.conf (NIX_CONF_DIR points at a
// throwaway folder holding it), and every warning about it (an unknown setting, a bad value) is a
// problem. The one warning about this machine rather than the file, a build users group that
// exists on Oxygen but not here, is left out.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ABOUT_THIS_MACHINE = /specified in 'build-users-group' does not exist/;

export async function nixConfProblems(file: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-nix-conf-'));
  try {
    copyFileSync(file, join(dir, 'nix.conf'));
    const env = { ...process.env, NIX_CONF_DIR: dir, NIX_USER_CONF_FILES: join(dir, 'none.conf') };
    const said = await run('nix', ['--extra-experimental-features', 'nix-command', 'show-config'], { env }).then(
      ({ stderr }) => stderr,
      (error: { stderr?: string; message: string }) => error.stderr || error.message,
    );
    return said.split('\n').filter((line) => line.trim() && !ABOUT_THIS_MACHINE.test(line));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
