import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TRANSIENT_EXCLUDES } from './secrets-repo-layout';
import { VaultError } from './vault-error';

/** Who commits when git has no user configured: the vault must never stop at "Please tell me who you are". */
const FALLBACK_NAME = 'personal-cloud';
const FALLBACK_EMAIL = 'personal-cloud@localhost';

/** Variables that would point git at some other repository or index than the secrets repo. */
const REPOSITORY_SELECTING_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * The secrets repo's git. Every command names the repo's .git and work tree explicitly, so a
 * secrets dir inside another repository (./.secrets in the workspace) can never touch that one.
 */
export class SecretsGit {
  private indexLock: string | undefined;
  private identityArgs: Promise<string[]> | undefined;

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** True once `git init` has run here (a .git directory, or a gitfile for worktrees). */
  isRepository(): boolean {
    return existsSync(join(this.dir, '.git'));
  }

  async init(): Promise<void> {
    await this.git(['-c', 'init.defaultBranch=main', 'init', '-q', this.dir], { explicitRepo: false });
  }

  async hasCommits(): Promise<boolean> {
    // Every vault open asks this; read from .git's files first, and start git only when they do not tell.
    if (headNamesACommit(join(this.dir, '.git'))) return true;
    return (await this.git(['rev-parse', '--verify', '-q', 'HEAD'], { allowFailure: true })).code === 0;
  }

  /** A file as committed at HEAD, or undefined when HEAD does not have it (or there is no commit yet). */
  async showHead(relativePath: string): Promise<Buffer | undefined> {
    const result = await this.git(['show', `HEAD:${relativePath}`], { allowFailure: true });
    return result.code === 0 ? result.stdout : undefined;
  }

  /** `git status --porcelain` lines for everything not ignored, or for the given paths. */
  async pendingChanges(paths: readonly string[] = ['.', ...TRANSIENT_EXCLUDES]): Promise<string[]> {
    const result = await this.git(['status', '--porcelain', '--untracked-files=all', '--', ...paths]);
    return result.stdout
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '');
  }

  /**
   * Commits the given paths (only those: whatever else is staged stays staged), or every
   * pending change when `paths` is 'everything'. Returns false when there was nothing to commit.
   * Call it only while holding the vault lock: it removes a stale index.lock.
   */
  async commit(paths: readonly string[] | 'everything', message: string): Promise<boolean> {
    await this.removeStaleIndexLock();
    const pathspec = paths === 'everything' ? ['--', '.', ...TRANSIENT_EXCLUDES] : ['--', ...paths];
    await this.git(['add', '-A', ...pathspec]);
    const staged = await this.git(['diff', '--cached', '--quiet', ...pathspec], { allowFailure: true });
    if (staged.code === 0) return false;
    const identity = await this.fallbackIdentity();
    const result = await this.git(
      [...identity, 'commit', '-q', '-m', message, ...(paths === 'everything' ? [] : pathspec)],
      { allowFailure: true },
    );
    if (result.code !== 0) {
      const reason = firstLine(result.stderr) || `exit status ${result.code}`;
      throw new VaultError(
        `git commit in the secrets repo ${this.dir} failed (${reason}); the files are written, so fix git there and run \`npm run state -- commit\`.`,
      );
    }
    return true;
  }

  /** A killed git leaves index.lock behind and every later commit fails; we hold the vault lock, so it is ours to clear. */
  private async removeStaleIndexLock(): Promise<void> {
    this.indexLock ??= (await this.git(['rev-parse', '--git-path', 'index.lock'])).stdout.toString('utf8').trim();
    const path = this.indexLock.startsWith('/') ? this.indexLock : join(this.dir, this.indexLock);
    if (!existsSync(path)) return;
    this.log(`warning: removing the stale git lock ${path} left by an interrupted git command in the secrets repo.`);
    await rm(path, { force: true });
  }

  /** Asked once per process: a provision run commits after every resource. */
  private fallbackIdentity(): Promise<string[]> {
    this.identityArgs ??= this.findFallbackIdentity();
    return this.identityArgs;
  }

  private async findFallbackIdentity(): Promise<string[]> {
    const configured = async (key: string) =>
      (await this.git(['config', '--get', key], { allowFailure: true })).stdout.toString('utf8').trim() !== '';
    const args: string[] = [];
    if (!(await configured('user.name'))) args.push('-c', `user.name=${FALLBACK_NAME}`);
    if (!(await configured('user.email')) && !process.env.EMAIL) args.push('-c', `user.email=${FALLBACK_EMAIL}`);
    return args;
  }

  private git(args: string[], options: { allowFailure?: boolean; explicitRepo?: boolean } = {}): Promise<GitResult> {
    const repo =
      options.explicitRepo === false ? [] : [`--git-dir=${join(this.dir, '.git')}`, `--work-tree=${this.dir}`];
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
    for (const name of REPOSITORY_SELECTING_ENV) delete env[name];
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        [...repo, ...args],
        { cwd: this.dir, env, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          const result = { code, stdout, stderr: stderr.toString('utf8') };
          if (code === 0 || (options.allowFailure && code > 0)) resolve(result);
          else if (error && typeof error.code === 'string')
            reject(
              new VaultError(`git could not be run (${error.code}); install git so the secrets repo can be committed.`),
            );
          else
            reject(
              new VaultError(
                `git ${args
                  .filter((arg) => !arg.startsWith('-'))
                  .slice(0, 1)
                  .join(
                    '',
                  )} failed in the secrets repo ${this.dir} (${firstLine(result.stderr) || `exit status ${code}`}); fix the repository and retry.`,
              ),
            );
        },
      );
    });
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Whether a .git directory's HEAD names a commit, read from its files as git stores them: a
 * detached HEAD holds the id itself; a branch's id is in its loose ref file or in packed-refs.
 * False when the files do not say so (no commit yet, a gitfile, another ref storage): git decides.
 */
export function headNamesACommit(gitDir: string): boolean {
  const read = (file: string) => {
    try {
      return readFileSync(join(gitDir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const head = read('HEAD')?.trim();
  if (!head) return false;
  if (OBJECT_ID.test(head)) return true;
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  if (!ref) return false;
  if (OBJECT_ID.test(read(ref)?.trim() ?? '')) return true;
  return (read('packed-refs') ?? '')
    .split('\n')
    .some((line) => line.endsWith(` ${ref}`) && OBJECT_ID.test(line.split(' ')[0]!));
}
