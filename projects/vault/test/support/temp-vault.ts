import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateIdentityKey, renderIdentityKey } from '../../src/age-identity-file';
import type { VaultOptions } from '../../src/vault-options';

/** A secrets repo and identity path in a fresh temp dir, with the vault's log captured. */
export interface TempVault {
  root: string;
  dir: string;
  identityPath: string;
  logs: string[];
  options: VaultOptions;
  /** Options for the same repo with another identity file. */
  optionsWith(identityPath: string, createOnFirstUse?: boolean): VaultOptions;
  cleanup(): Promise<void>;
}

export async function makeTempVault(): Promise<TempVault> {
  const root = await mkdtemp(join(tmpdir(), 'vault-test-'));
  const dir = join(root, 'secrets');
  const identityPath = join(root, 'config', 'personal-cloud', 'age-identity.txt');
  const logs: string[] = [];
  const optionsWith = (path: string, createOnFirstUse = true): VaultOptions => ({
    dir,
    identityPath: path,
    createOnFirstUse,
    log: (line) => logs.push(line),
  });
  return {
    root,
    dir,
    identityPath,
    logs,
    options: optionsWith(identityPath),
    optionsWith,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** `git <args>` in `dir`, stdout as text; commits made here are by "test" unless the repo configures a user. */
export function git(dir: string, ...args: string[]): string {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@localhost',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@localhost',
  };
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env });
}

/** Commit subjects, newest first. */
export function commitSubjects(dir: string): string[] {
  return git(dir, 'log', '--format=%s').trim().split('\n');
}

/** Writes a new age identity at `path` (an existing repo never gets one made for it) and returns its public key. */
export async function writeNewIdentity(path: string): Promise<string> {
  const key = await generateIdentityKey();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderIdentityKey(key, new Date()), { mode: 0o600 });
  return key.recipient;
}
