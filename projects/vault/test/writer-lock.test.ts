import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault, type Vault } from '../src/index';
import { readLock } from '../src/writer-lock';
import { deadPid, startTsx, type Child } from './support/child-process';
import { vaultFailure } from './support/one-sentence';
import { makeTempVault, type TempVault } from './support/temp-vault';

const HOLD_LOCK = fileURLToPath(new URL('./fixtures/hold-lock.ts', import.meta.url));

let temp: TempVault;
let vault: Vault;
const children: Child[] = [];
beforeEach(async () => {
  temp = await makeTempVault();
  vault = await openVault(temp.options);
});
afterEach(async () => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  await temp.cleanup();
});

const lockPath = () => join(temp.dir, '.lock');

function holder(overrides: Partial<{ pid: number; host: string; purpose: string; token: string }>) {
  return JSON.stringify({
    pid: 1,
    host: hostname(),
    startedAt: '2024-05-01T10:00:00.000Z',
    purpose: 'provision infra',
    token: 'stale0token',
    ...overrides,
  });
}

function holdLock(purpose: string, ...extra: string[]): Child {
  const child = startTsx(HOLD_LOCK, [temp.dir, temp.identityPath, purpose, ...extra]);
  children.push(child);
  return child;
}

describe('the lock file', () => {
  it('records pid, host, start time and purpose, and release removes it', async () => {
    // Whole seconds or finer, the recorded start lies between these two moments.
    const before = Math.floor(Date.now() / 1000) * 1000;
    const session = await vault.lock('provision infra');
    const after = Date.now();
    const recorded = await readLock(lockPath());
    expect(recorded).toMatchObject({ pid: process.pid, host: hostname(), purpose: 'provision infra' });
    const startedAt = recorded === 'absent' ? NaN : Date.parse(recorded.startedAt);
    expect(startedAt).toBeGreaterThanOrEqual(before);
    expect(startedAt).toBeLessThanOrEqual(after);
    await session.release();
    expect(existsSync(lockPath())).toBe(false);
    await session.release();
  });

  it('release removes only our own lock', async () => {
    const session = await vault.lock('mine');
    const theirs = holder({ pid: process.pid, token: 'someone-else' });
    await writeFile(lockPath(), theirs);
    await session.release();
    expect(await readFile(lockPath(), 'utf8')).toBe(theirs);
    expect(temp.logs.some((line) => /was no longer ours/.test(line))).toBe(true);
  });

  it('a lock file the vault did not write is refused, not overwritten', async () => {
    await writeFile(lockPath(), 'garbage');
    expect(await vaultFailure(vault.lock('x'))).toMatch(
      /is not one the vault wrote .*; if no vault command is running, remove it\.$/,
    );
    expect(await readFile(lockPath(), 'utf8')).toBe('garbage');
  });
});

describe('contention between processes', () => {
  it('refuses a second process while a child holds the lock, then succeeds once it releases', async () => {
    const child = holdLock('provision infra (child)');
    const line = await child.waitForLine(/^locked \d+$/);
    const childPid = Number(line.split(' ')[1]);
    const message = await vaultFailure(vault.lock('edit vars'));
    expect(message).toContain(`locked by pid ${childPid} on host ${hostname()} since `);
    expect(message).toContain('for "provision infra (child)"');
    await expect(vault.withLock('write', (session) => session.write('vars', { A: 'b' }, 'x'))).rejects.toThrow(
      /locked by pid/,
    );

    child.process.stdin!.end();
    await child.waitForLine(/^released$/);
    await vault.withLock('after', (session) => session.write('vars', { A: 'b' }, 'after the child'));
    expect(await vault.read('vars')).toEqual({ A: 'b' });
  });

  it('a child refuses while this process holds the lock', async () => {
    const session = await vault.lock('parent work');
    const child = holdLock('child work');
    const line = await child.waitForLine(/^refused: /);
    expect(line).toContain(`locked by pid ${process.pid}`);
    expect(line).toContain('for "parent work"');
    await session.release();
  });
});

describe('stale locks', () => {
  it('takes over a lock whose process is gone from this host, with a warning naming it', async () => {
    const pid = await deadPid();
    await writeFile(lockPath(), holder({ pid }));
    const session = await vault.lock('after a crash');
    expect(await readLock(lockPath())).toMatchObject({ pid: process.pid, purpose: 'after a crash' });
    expect(temp.logs.filter((line) => line.startsWith('warning: removed the stale lock'))).toEqual([
      expect.stringContaining(
        `of pid ${pid} on ${hostname()} (started 2024-05-01T10:00:00.000Z for "provision infra")`,
      ),
    ]);
    await session.release();
    expect(await readdir(temp.dir)).not.toContain(expect.stringMatching(/^\.lock/));
  });

  it('never takes over a lock held on another host, since its pid cannot be checked from here', async () => {
    const pid = await deadPid();
    await writeFile(lockPath(), holder({ pid, host: 'elsewhere.example' }));
    expect(await vaultFailure(vault.lock('x'))).toMatch(
      new RegExp(
        `locked by pid ${pid} on host elsewhere\\.example since 2024-05-01T10:00:00\\.000Z for "provision infra"`,
      ),
    );
  });

  it('never takes over a lock whose process is alive', async () => {
    await writeFile(lockPath(), holder({ pid: process.pid }));
    await vaultFailure(vault.lock('x'));
  });

  it('lets exactly one of several racing takers in this process win, round after round', async () => {
    const pid = await deadPid();
    for (let round = 0; round < 15; round++) {
      await writeFile(lockPath(), holder({ pid, token: `stale${round}` }));
      const vaults = await Promise.all([1, 2, 3, 4].map(() => openVault(temp.options)));
      const results = await Promise.allSettled(vaults.map((each, index) => each.lock(`taker ${index}`)));
      const winners = results.filter((result) => result.status === 'fulfilled');
      expect(winners, `round ${round}`).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(String(result.reason)).toMatch(/is locked by pid/);
      }
      await (winners[0] as PromiseFulfilledResult<Awaited<ReturnType<Vault['lock']>>>).value.release();
    }
  });

  it('lets exactly one of two racing processes take over the same stale lock', async () => {
    for (let round = 0; round < 2; round++) {
      await writeFile(lockPath(), holder({ pid: await deadPid(), token: `cross${round}` }));
      const go = join(temp.root, `go-${round}`);
      const racers = [holdLock(`racer A${round}`, '--wait-for', go), holdLock(`racer B${round}`, '--wait-for', go)];
      await Promise.all(racers.map((racer) => racer.waitForLine(/^ready$/)));
      await writeFile(go, '');
      const outcomes = await Promise.all(racers.map((racer) => racer.waitForLine(/^(locked \d+|refused: .*)$/)));
      expect(
        outcomes.filter((line) => line.startsWith('locked')),
        outcomes.join(' / '),
      ).toHaveLength(1);
      expect(outcomes.find((line) => line.startsWith('refused'))).toMatch(/is locked by pid \d+/);
      for (const racer of racers) racer.process.stdin!.end();
      await Promise.all(racers.map((racer) => racer.exited));
      expect(existsSync(lockPath())).toBe(false);
    }
  });
});
