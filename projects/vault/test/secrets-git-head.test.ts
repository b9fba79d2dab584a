// Whether the secrets repo has a commit, asked at every vault open: answered from .git's files when
// they say so (no git process), and always the answer `git rev-parse --verify HEAD` gives.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headNamesACommit } from '../src/secrets-git';
import { git } from './support/temp-vault';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function repo(): string {
  dir = mkdtempSync(join(tmpdir(), 'vault-head-'));
  git(dir, '-c', 'init.defaultBranch=main', 'init', '-q');
  return dir;
}

function commit(): void {
  writeFileSync(join(dir, 'file'), `${Math.random()}`);
  git(dir, 'add', 'file');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-qm', 'c');
}

/** What git itself says. */
function gitSays(): boolean {
  try {
    execFileSync('git', ['-C', dir, 'rev-parse', '--verify', '-q', 'HEAD'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a commit at HEAD, from the files', () => {
  it('is none in a new repository, as git says', () => {
    repo();
    expect(headNamesACommit(join(dir, '.git'))).toBe(false);
    expect(gitSays()).toBe(false);
  });

  it('is found through a loose branch ref, packed refs and a detached HEAD', () => {
    repo();
    commit();
    expect(headNamesACommit(join(dir, '.git'))).toBe(true);
    git(dir, 'pack-refs', '--all');
    expect(headNamesACommit(join(dir, '.git'))).toBe(true);
    git(dir, 'checkout', '-q', '--detach');
    expect(headNamesACommit(join(dir, '.git'))).toBe(true);
    expect(gitSays()).toBe(true);
  });

  it('is none on a branch without commits, though another branch has one', () => {
    repo();
    commit();
    git(dir, 'checkout', '-q', '--orphan', 'empty');
    expect(headNamesACommit(join(dir, '.git'))).toBe(false);
    expect(gitSays()).toBe(false);
  });
});
