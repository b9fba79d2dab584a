// Real `nix` confined to a temporary folder, for tests: every store is a chroot store under it
// (`--store <dir>` keeps the logical /nix/store, so paths and signatures are the ones a real host
// sees), and nix reads its settings and keeps its caches there too, never in /etc/nix, ~/.cache
// or the machine's /nix. Nix runs asynchronously: the binary cache stand-in answers it from this
// same process, which a blocking child would starve.
import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NixResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface PrivateNix {
  /** The variables that point a nix (or a remote nix-daemon) at this folder's settings. */
  confEnv: Record<string, string>;
  /** A store's root folder by name (created by nix on first use). */
  store(name: string): string;
  /** Runs `nix <args>`; a non-zero exit is returned, not thrown, so tests can expect failures. */
  run(args: string[]): Promise<NixResult>;
  /** Runs `nix <args>` and returns stdout; a non-zero exit throws with nix's own words. */
  ok(args: string[]): Promise<string>;
}

/** `extraEnv` is added to every nix run (e.g. NIX_SSHOPTS). */
export function privateNix(root: string, extraEnv: Record<string, string> = {}): PrivateNix {
  const confDir = join(root, 'etc-nix');
  mkdirSync(confDir, { recursive: true });
  // A chroot store always builds in Nix's sandbox, which holds nothing of the machine: a builder
  // of /bin/sh needs the shell and its libraries mounted in. `?` lets a folder be absent.
  const shell = realpathSync('/bin/sh');
  writeFileSync(
    join(confDir, 'nix.conf'),
    [
      'experimental-features = nix-command',
      // Builds run as root here, with no nixbld group on the machine.
      'build-users-group =',
      // Offline: nothing is substituted unless a test names a substituter.
      'substituters =',
      `sandbox-paths = /bin/sh=${shell} /lib? /lib64? /usr/lib? /usr/lib64?`,
      '',
    ].join('\n'),
  );
  const confEnv = { NIX_CONF_DIR: confDir, NIX_USER_CONF_FILES: join(confDir, 'none.conf') };
  const env = {
    ...process.env,
    ...confEnv,
    ...extraEnv,
    HOME: join(root, 'home'),
    XDG_CACHE_HOME: join(root, 'cache'),
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
  };
  const run = (args: string[]) =>
    new Promise<NixResult>((resolvePromise, reject) => {
      const child = spawn('nix', ['--extra-experimental-features', 'nix-command', ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolvePromise({ status: status ?? -1, stdout, stderr }));
    });
  return {
    confEnv,
    store: (name) => join(root, 'stores', name),
    run,
    ok: async (args) => {
      const result = await run(args);
      if (result.status !== 0) throw new Error(`nix ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
      return result.stdout;
    },
  };
}
