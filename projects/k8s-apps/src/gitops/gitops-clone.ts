// The workspace's clone of the GitOps repository (dist/k8s-apps/gitops): provision writes the
// rendered tree into it, commits only when the tree differs from what the remote holds, and pushes
// without force. A push the remote rejects leaves the commit in the clone and says so.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CloudError } from '@personal-cloud/cluster';
import { git, gitBytes, GitFailure } from './git';

export interface GitopsRemote {
  url: string;
  branch: string;
  /** Extra environment for git (GIT_SSH_COMMAND naming the deploy key); none for a file:// remote. */
  env?: Record<string, string>;
}

/** Where a rejected commit is kept, so a later run's reset of the branch loses nothing. */
export const REJECTED_REF = 'refs/personal-cloud/rejected';

/** Makes the clone if needed, fetches the remote's branch; returns its head, or null for an empty remote. */
export async function fetchRemote(clone: string, remote: GitopsRemote): Promise<string | null> {
  await mkdir(clone, { recursive: true });
  const options = { cwd: clone, env: remote.env };
  await git(['init', '--quiet', `--initial-branch=${remote.branch}`], options);
  await git(['remote', 'remove', 'origin'], options).catch(() => undefined);
  await git(['remote', 'add', 'origin', remote.url], options);
  const heads = await git(['ls-remote', '--heads', 'origin', remote.branch], options).catch((error: unknown) => {
    throw new CloudError(`the GitOps repository ${remote.url} cannot be read: ${(error as Error).message}`);
  });
  if (!heads.trim()) return null;
  await git(
    ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${remote.branch}:refs/remotes/origin/${remote.branch}`],
    options,
  );
  return (await git(['rev-parse', `refs/remotes/origin/${remote.branch}`], options)).trim();
}

/**
 * The files at `commit`, path → text; an empty map for no commit. One `git cat-file --batch` reads
 * them all: a `git show` per file made every no-op provision start some sixty processes.
 */
export async function filesAt(clone: string, commit: string | null): Promise<Map<string, string>> {
  if (!commit) return new Map();
  const names = (await git(['ls-tree', '-r', '-z', '--name-only', commit], { cwd: clone })).split('\0').filter(Boolean);
  names.sort();
  const input = names.map((name) => `${commit}:${name}\n`).join('');
  return parseCatFileBatch(names, await gitBytes(['cat-file', '--batch'], { cwd: clone, input }));
}

/** `git cat-file --batch` output ("<oid> <type> <size>\n<content>\n" per object, in request order) as path → text. */
export function parseCatFileBatch(names: readonly string[], out: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  let at = 0;
  for (const name of names) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!/ blob \d+$/.test(header)) throw new CloudError(`git cat-file could not read ${name}: ${header}`);
    files.set(name, out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return files;
}

/**
 * Makes the clone's branch the remote's head with exactly `files` in it and commits, unless that is
 * what the remote holds already. Returns the new commit, or null when nothing changed.
 */
export async function commitTree(
  clone: string,
  remote: GitopsRemote,
  base: string | null,
  files: ReadonlyMap<string, string>,
  message: string,
): Promise<string | null> {
  const options = { cwd: clone };
  if (base) await git(['checkout', '--quiet', '--force', '-B', remote.branch, base], options);
  else {
    // An empty remote: the branch starts with no parent, whatever the clone held before.
    await git(['symbolic-ref', 'HEAD', `refs/heads/${remote.branch}`], options);
    await git(['update-ref', '-d', `refs/heads/${remote.branch}`], options);
    await git(['read-tree', '--empty'], options);
  }
  for (const entry of await readdir(clone))
    if (entry !== '.git') await rm(join(clone, entry), { recursive: true, force: true });
  for (const [file, text] of files) {
    await mkdir(dirname(join(clone, file)), { recursive: true });
    await writeFile(join(clone, file), text);
  }
  await git(['add', '--all', '.'], options);
  const staged = await git(['status', '--porcelain'], options);
  if (!staged.trim()) return null;
  await git(['commit', '--quiet', '--no-verify', '-m', message], options);
  return (await git(['rev-parse', 'HEAD'], options)).trim();
}

/** Pushes the branch without force; a rejection keeps the commit at REJECTED_REF and says what to do. */
export async function pushBranch(clone: string, remote: GitopsRemote, commit: string): Promise<void> {
  try {
    await git(['push', '--quiet', '--porcelain', 'origin', `${commit}:refs/heads/${remote.branch}`], {
      cwd: clone,
      env: remote.env,
    });
  } catch (error) {
    if (!(error instanceof GitFailure)) throw error;
    await git(['update-ref', REJECTED_REF, commit], { cwd: clone });
    const moved = /Updates were rejected|\[rejected\]|fetch first|non-fast-forward|cannot lock ref/.test(error.stderr);
    throw new CloudError(
      moved
        ? `the push to ${remote.url} was rejected: its branch ${remote.branch} moved since this run fetched it (another push); the commit ${commit.slice(0, 7)} is kept in ${clone} (${REJECTED_REF}) and the rendered tree is unchanged: run provision again to commit onto the new head.`
        : `the push to ${remote.url} failed: ${error.stderr.trim()}; the commit ${commit.slice(0, 7)} is kept in ${clone} (${REJECTED_REF}).`,
    );
  }
}
