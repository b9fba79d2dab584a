// Real git, run as a child process; a failure carries git's own message.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The committer of every GitOps commit: the layer, not whoever runs it. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'personal-cloud',
  GIT_AUTHOR_EMAIL: 'k8s-apps@personal-cloud.invalid',
  GIT_COMMITTER_NAME: 'personal-cloud',
  GIT_COMMITTER_EMAIL: 'k8s-apps@personal-cloud.invalid',
};

export class GitFailure extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(`git ${args[0]} failed: ${stderr.trim() || `exit ${code}`}`);
  }
}

export interface GitOptions {
  cwd: string;
  /** E.g. GIT_SSH_COMMAND with the deploy key. */
  env?: Record<string, string>;
  input?: string;
}

export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  return (await gitBytes(args, options)).toString('utf8');
}

/** git's output as bytes, for output that counts in bytes (`cat-file --batch`). */
export async function gitBytes(args: readonly string[], options: GitOptions): Promise<Buffer> {
  try {
    const child = run('git', [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...IDENTITY, ...options.env, GIT_TERMINAL_PROMPT: '0' },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'buffer',
    });
    if (options.input !== undefined) child.child.stdin?.end(options.input);
    return (await child).stdout;
  } catch (error) {
    const failure = error as { stderr?: Buffer | string; code?: number | null };
    throw new GitFailure(args, failure.stderr?.toString() ?? String(error), failure.code ?? null);
  }
}
