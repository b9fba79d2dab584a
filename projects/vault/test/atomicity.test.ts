import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTempFileName } from '../src/atomic-file-write';
import { DocumentStore } from '../src/document-store';
import { openVault, openVaultParts, type Vault } from '../src/vault';
import { startTsx, type Child } from './support/child-process';
import { commitSubjects, git, makeTempVault, type TempVault } from './support/temp-vault';
import { filesContaining } from './support/tree-snapshot';
import { seededRandom } from '../../../tools/test-support/seeded-random';

const CRASH_ON_RENAME = fileURLToPath(new URL('./fixtures/crash-on-rename.ts', import.meta.url));
const WRITE_FOREVER = fileURLToPath(new URL('./fixtures/write-forever.ts', import.meta.url));

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

function start(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = startTsx(file, args, { ...process.env, ...env });
  children.push(child);
  return child;
}

const OLD_MARKER = 'PLAINTEXT-MARKER-old-4f1c';
const NEW_MARKER = 'PLAINTEXT-MARKER-new-9a2e';

describe.each([
  ['the new ciphertext is written and fsynced, before the rename over the document', 'vars.json.age'],
  ['the previous version is being kept as .backup', 'vars.json.age.backup'],
])('a crash (SIGKILL) when %s', (_when, renameTarget) => {
  it('leaves the old version readable, no plaintext on disk, and a clean next write', async () => {
    await vault.withLock('setup', (session) => session.write('vars', { MARKER: OLD_MARKER, n: 1 }, 'first version'));
    const child = start(CRASH_ON_RENAME, [temp.dir, temp.identityPath, 'write-vars', NEW_MARKER], {
      CRASH_RENAME_TO: renameTarget,
    });
    await child.waitForLine(/^crashing$/);
    expect((await child.exited).signal).toBe('SIGKILL');

    expect(await vault.read('vars')).toEqual({ MARKER: OLD_MARKER, n: 1 });
    expect(await filesContaining(temp.root, temp.dir, OLD_MARKER)).toEqual([]);
    expect(await filesContaining(temp.root, temp.dir, NEW_MARKER)).toEqual([]);

    // What the dead writer left: ciphertext only, and (when it got that far) the whole new version.
    const leftovers = (await readdir(join(temp.dir, 'cluster'))).filter(isTempFileName);
    expect(leftovers.length).toBeGreaterThan(0);
    if (renameTarget === 'vars.json.age') {
      const parts = await openVaultParts(temp.options);
      const store = new DocumentStore(temp.dir, parts.store.reader);
      const newest = await store.decode('vars', await readFile(join(temp.dir, 'cluster', leftovers[0]!)), 'leftover');
      expect(newest).toEqual({ MARKER: NEW_MARKER, n: 2 });
    }

    // The next writer takes over the dead one's lock, sweeps its temp files and commits normally.
    await vault.withLock('after the crash', (session) =>
      session.write('vars', { MARKER: 'recovered', n: 3 }, 'after the crash'),
    );
    expect(temp.logs.some((line) => line.startsWith('warning: removed the stale lock'))).toBe(true);
    expect((await readdir(join(temp.dir, 'cluster'))).filter(isTempFileName)).toEqual([]);
    expect(await vault.read('vars')).toEqual({ MARKER: 'recovered', n: 3 });
    expect(commitSubjects(temp.dir)[0]).toBe('after the crash');
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });
});

describe('a writer killed at a random instant', () => {
  it('always leaves a whole version (the last committed or the next), never a torn file or plaintext', async () => {
    // Seeded, and named in every failure, so a failing instant can be replayed.
    const seed = Number(process.env.ATOMICITY_SEED ?? 20261202);
    const random = seededRandom(seed);
    for (let round = 0; round < 3; round++) {
      const marker = `PLAINTEXT-MARKER-loop-${round}`;
      const child = start(WRITE_FOREVER, [temp.dir, temp.identityPath, marker]);
      const seen = Number((await child.waitForLine(/^wrote [3-9]$/)).split(' ')[1]);
      const delayMs = Math.floor(random() * 60);
      const replay = `seed ${seed} (ATOMICITY_SEED=${seed} replays it), round ${round + 1}, killed ${delayMs} ms after "wrote ${seen}"`;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.process.kill('SIGKILL');
      await child.exited;
      const last = Math.max(seen, ...[...child.stdout().matchAll(/^wrote (\d+)$/gm)].map((match) => Number(match[1])));

      const vars = (await vault.read('vars')) as { MARKER: string; n: number };
      expect(vars.MARKER, replay).toBe(marker);
      expect([last, last + 1], replay).toContain(vars.n);
      expect(await filesContaining(temp.root, temp.dir, marker), replay).toEqual([]);
      // Clears the dead writer's lock for the next round, and proves the repo still takes writes.
      await vault.withLock('between rounds', (session) => session.write('vars', { round }, `round ${round}`));
    }
  });
});
