import { existsSync } from 'node:fs';
import { mkdir, readdir, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeNeeding } from '../../../tools/test-support/external-tools';
import {
  chooseSecureTempParent,
  createSecureTempDir,
  secureTempPlaces,
  sweepLeftoverTempDirs,
  withSecureTempDir,
} from '../src/secure-temp-dir';
import { deadPid } from './support/child-process';
import { makeTempVault, type TempVault } from './support/temp-vault';

const SHM = '/dev/shm';
const shmIsTmpfs = await statfs(SHM).then(
  (info) => info.type === 0x01021994,
  () => false,
);

let temp: TempVault;
beforeEach(async () => (temp = await makeTempVault()));
afterEach(() => temp.cleanup());

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('the secure temp folder', () => {
  it('is looked for in /dev/shm, then $XDG_RUNTIME_DIR, else the system temp dir', () => {
    expect(secureTempPlaces({ XDG_RUNTIME_DIR: '/run/user/1000' }).memoryDirs).toEqual(['/dev/shm', '/run/user/1000']);
    expect(secureTempPlaces({}).memoryDirs).toEqual(['/dev/shm']);
  });

  it('is looked for only in $CLOUD_TEMP_DIR when the operator names one', () => {
    const places = secureTempPlaces({ CLOUD_TEMP_DIR: '/run/secrets-here', XDG_RUNTIME_DIR: '/run/user/1000' });
    expect(places).toEqual({ memoryDirs: ['/run/secrets-here'], fallbackDir: '/run/secrets-here' });
  });

  it('falls back to the temp dir when no candidate is a memory-backed directory, and says it is not in memory', async () => {
    const notADir = join(temp.root, 'file');
    await writeFile(notADir, '');
    const places = { memoryDirs: [join(temp.root, 'no-shm'), notADir], fallbackDir: temp.root };
    expect(await chooseSecureTempParent(places)).toEqual({ dir: temp.root, inMemory: false });
    const dir = await createSecureTempDir(places);
    expect(dir.inMemory).toBe(false);
    expect(dir.path.startsWith(`${temp.root}/personal-cloud-${process.pid}-`)).toBe(true);
    await dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });

  it('is 0700 with 0600 files, and is removed however the work ends', async () => {
    const places = { memoryDirs: [], fallbackDir: temp.root };
    let seen = '';
    const result = await withSecureTempDir(async (dir) => {
      seen = dir.path;
      const file = await dir.writeFile('tokens.json', 'secret');
      expect(await modeOf(dir.path)).toBe(0o700);
      expect(await modeOf(file)).toBe(0o600);
      await expect(dir.writeFile('tokens.json', 'again')).rejects.toThrow(/EEXIST/);
      return 'done';
    }, places);
    expect(result).toBe('done');
    expect(existsSync(seen)).toBe(false);
    await expect(
      withSecureTempDir(async (dir) => {
        seen = dir.path;
        throw new Error('editor crashed');
      }, places),
    ).rejects.toThrow('editor crashed');
    expect(existsSync(seen)).toBe(false);
  });

  it('sweeps the folders of dead processes only, and says which', async () => {
    const places = { memoryDirs: [], fallbackDir: temp.root };
    const dead = join(temp.root, `personal-cloud-${await deadPid()}-0123456789ab`);
    const live = join(temp.root, `personal-cloud-${process.ppid}-0123456789ab`);
    const other = join(temp.root, 'personal-cloud-edit-abc123');
    for (const dir of [dead, live, other]) await mkdir(dir);
    await writeFile(join(dead, 'tokens.json'), 'secret');
    const mine = await createSecureTempDir(places);
    expect(await sweepLeftoverTempDirs(places)).toEqual([dead]);
    expect((await readdir(temp.root)).sort()).toEqual(
      [live, other, mine.path].map((path) => path.slice(temp.root.length + 1)).sort(),
    );
    await mine.remove();
  });
});

describeNeeding({ what: 'a tmpfs at /dev/shm', available: shmIsTmpfs }, 'the secure temp folder with /dev/shm', () => {
  it('lives in /dev/shm, in memory', async () => {
    await withSecureTempDir(
      async (dir) => {
        expect(dir.inMemory).toBe(true);
        expect(dir.path.startsWith(`${SHM}/personal-cloud-${process.pid}-`)).toBe(true);
      },
      { memoryDirs: [join(temp.root, 'missing'), SHM], fallbackDir: temp.root },
    );
  });
});
