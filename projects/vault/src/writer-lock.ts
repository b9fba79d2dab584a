import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { readFile, rm, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createFileExclusively } from './atomic-file-write';
import { onExitOrSignal } from './exit-cleanup';
import { errorCode } from './node-error-code';
import { VaultError } from './vault-error';

export const LOCK_FILE = '.lock';
const LOCK_MODE = 0o644;

/** What a lock file says about the process that holds it. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  purpose: string;
  /** Tells one lock from a later one held by a process that reused the pid. */
  token: string;
}

export interface HeldLock {
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): Promise<void>;
}

/** Attempts before giving up while another process is mid-way through a takeover. */
const ATTEMPTS = 20;
const RETRY_DELAY_MS = 25;

/**
 * Takes the exclusive writer lock `<dir>/.lock`. A lock held by a live process (or by any
 * process on another host) is refused in one sentence naming it; a lock whose process is gone
 * from this host is taken over, with a warning, by exactly one of any number of racing takers.
 */
export async function acquireWriterLock(dir: string, purpose: string, log: (line: string) => void): Promise<HeldLock> {
  const path = join(dir, LOCK_FILE);
  const ours: LockHolder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    purpose,
    token: randomBytes(12).toString('hex'),
  };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createFileExclusively(path, `${JSON.stringify(ours)}\n`, LOCK_MODE)) return heldLock(path, ours, log);
    const current = await readLock(path);
    if (current === 'absent') continue;
    if (!isStale(current)) throw heldError(dir, path, current);
    const outcome = await takeOver(dir, path, current, ours, log);
    if (outcome === 'acquired') return heldLock(path, ours, log);
    if (outcome === 'someone-else-is-taking-over') await delay(RETRY_DELAY_MS);
  }
  const current = await readLock(path);
  if (current === 'absent')
    throw new VaultError(`the lock ${path} kept changing hands while this command tried to take it; retry.`);
  throw heldError(dir, path, current);
}

/** A lock is stale when its process is known to be gone: same host, pid not alive. */
export function isStale(holder: LockHolder): boolean {
  return holder.host === hostname() && !isProcessAlive(holder.pid);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}

/** The holder recorded in a lock file, or 'absent' when there is none. */
export async function readLock(path: string): Promise<LockHolder | 'absent'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'absent';
    throw error;
  }
  const holder = parseHolder(text);
  if (!holder)
    throw new VaultError(
      `the lock file ${path} is not one the vault wrote (it does not name a pid, host, start time and purpose); if no vault command is running, remove it.`,
    );
  return holder;
}

/**
 * Only the process that creates `.lock.takeover-<stale token>` may remove that stale lock, so two
 * takers cannot both delete it and then each delete the other's fresh lock. The winner re-checks
 * that the stale lock is still there before removing it, then competes for `.lock` like anyone.
 */
async function takeOver(
  dir: string,
  path: string,
  stale: LockHolder,
  ours: LockHolder,
  log: (line: string) => void,
): Promise<'acquired' | 'lost' | 'someone-else-is-taking-over'> {
  const claim = join(dir, `${LOCK_FILE}.takeover-${stale.token}`);
  if (!(await createFileExclusively(claim, `${JSON.stringify(ours)}\n`, LOCK_MODE))) {
    const claimer = parseHolder(await readFile(claim, 'utf8').catch(() => ''));
    if (claimer && isStale(claimer)) {
      throw new VaultError(
        `a takeover of the stale lock ${path} by pid ${claimer.pid} was interrupted; if no vault command is running, remove ${path} and ${claim}.`,
      );
    }
    return 'someone-else-is-taking-over';
  }
  try {
    const current = await readLock(path);
    if (current === 'absent' || current.token !== stale.token) return 'lost';
    await unlink(path);
    log(
      `warning: removed the stale lock ${path} of pid ${stale.pid} on ${stale.host} (started ${stale.startedAt} for "${stale.purpose}"); that process no longer exists.`,
    );
    return (await createFileExclusively(path, `${JSON.stringify(ours)}\n`, LOCK_MODE)) ? 'acquired' : 'lost';
  } finally {
    await rm(claim, { force: true });
  }
}

function heldLock(path: string, ours: LockHolder, log: (line: string) => void): HeldLock {
  let released = false;
  // An interrupted command gives the lock back too; only SIGKILL leaves it, for the stale-lock takeover.
  const forget = onExitOrSignal(() => {
    if (parseHolder(readFileSync(path, 'utf8'))?.token === ours.token) rmSync(path, { force: true });
  });
  return {
    holder: ours,
    async release() {
      if (released) return;
      released = true;
      forget();
      const current = await readLock(path).catch(() => 'absent' as const);
      if (current !== 'absent' && current.token === ours.token) {
        await rm(path, { force: true });
        return;
      }
      const by = current === 'absent' ? 'it was already gone' : `pid ${current.pid} on ${current.host} holds it now`;
      log(`warning: the lock ${path} was no longer ours when releasing it (${by}); left it alone.`);
    },
  };
}

function heldError(dir: string, path: string, holder: LockHolder): VaultError {
  return new VaultError(
    `the secrets repo ${dir} is locked by pid ${holder.pid} on host ${holder.host} since ${holder.startedAt} for "${holder.purpose}"; wait for that command to finish, or remove ${path} if that process no longer exists.`,
  );
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.startedAt === 'string' &&
      typeof value.purpose === 'string' &&
      typeof value.token === 'string'
    ) {
      return value as LockHolder;
    }
  } catch {
    // fall through: not a lock the vault wrote
  }
  return undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
