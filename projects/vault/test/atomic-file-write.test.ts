import { link, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFileExclusively,
  isTempFileName,
  removeStaleTempFiles,
  replaceFileAtomically,
  tempPathFor,
} from '../src/atomic-file-write';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'vault-atomic-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('replaceFileAtomically', () => {
  it('writes the file with its mode, keeps the previous content as .backup and leaves no temp file', async () => {
    const path = join(dir, 'doc.age');
    await replaceFileAtomically(path, 'one', { mode: 0o600, keepBackup: true });
    expect(await readdir(dir)).toEqual(['doc.age']);
    await replaceFileAtomically(path, 'two', { mode: 0o600, keepBackup: true });
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readFile(`${path}.backup`, 'utf8')).toBe('one');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['doc.age', 'doc.age.backup']);
  });

  it('leaves no temp file when a crash had left .backup linked to the current file', async () => {
    const path = join(dir, 'doc.age');
    await writeFile(path, 'current');
    await link(path, `${path}.backup`);
    await replaceFileAtomically(path, 'next', { mode: 0o600, keepBackup: true });
    expect((await readdir(dir)).sort()).toEqual(['doc.age', 'doc.age.backup']);
    expect(await readFile(`${path}.backup`, 'utf8')).toBe('current');
  });

  it('keeps no backup when asked not to', async () => {
    const path = join(dir, 'id.txt');
    await replaceFileAtomically(path, 'a', { mode: 0o600, keepBackup: false });
    await replaceFileAtomically(path, 'b', { mode: 0o600, keepBackup: false });
    expect(await readdir(dir)).toEqual(['id.txt']);
  });
});

describe('createFileExclusively', () => {
  it('creates once, with the whole content, and refuses to replace', async () => {
    const path = join(dir, '.lock');
    expect(await createFileExclusively(path, 'first', 0o644)).toBe(true);
    expect(await createFileExclusively(path, 'second', 0o644)).toBe(false);
    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['.lock']);
  });

  it('lets exactly one of many concurrent creators win', async () => {
    const path = join(dir, '.lock');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => createFileExclusively(path, `creator ${index}`, 0o644)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await readFile(path, 'utf8')).toBe(`creator ${results.indexOf(true)}`);
  });
});

describe('temp files', () => {
  it('are recognised by name, and only they are swept', async () => {
    const temp = tempPathFor(join(dir, 'state.json.age'));
    expect(isTempFileName(temp.slice(dir.length + 1))).toBe(true);
    expect(isTempFileName('state.json.age')).toBe(false);
    expect(isTempFileName('notes.tmp')).toBe(false);
    await writeFile(temp, 'x');
    await writeFile(join(dir, 'notes.tmp'), 'mine');
    await writeFile(join(dir, 'state.json.age'), 'doc');
    expect(await removeStaleTempFiles(dir)).toHaveLength(1);
    expect((await readdir(dir)).sort()).toEqual(['notes.tmp', 'state.json.age']);
    expect(await removeStaleTempFiles(join(dir, 'missing'))).toEqual([]);
  });

  it('can be swept for some targets only, leaving the temp files of a lock being created', async () => {
    const lockTemp = tempPathFor(join(dir, '.lock'));
    const recipientsTemp = tempPathFor(join(dir, 'recipients.txt'));
    await writeFile(lockTemp, 'x');
    await writeFile(recipientsTemp, 'y');
    expect(await removeStaleTempFiles(dir, ['recipients.txt'])).toEqual([recipientsTemp.slice(dir.length + 1)]);
    expect(await readdir(dir)).toEqual([lockTemp.slice(dir.length + 1)]);
  });
});
