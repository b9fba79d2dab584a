import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeNeeding } from '../../../tools/test-support/external-tools';
import { openVault, type Vault } from '../src/index';
import { editCommitMessage, editDocument, type EditOptions } from '../src/operator/edit-document';
import { editorFromEnv } from '../src/operator/editor-command';
import { chooseMemoryDir, memoryDirCandidates, withScratchFile } from '../src/operator/memory-scratch-file';
import { vaultFailure } from './support/one-sentence';
import { commitSubjects, makeTempVault, type TempVault } from './support/temp-vault';
import { snapshotTree } from './support/tree-snapshot';

const EDITOR_SCRIPT = fileURLToPath(new URL('./fixtures/editor.mjs', import.meta.url));
const SHM = '/dev/shm';
const shmIsTmpfs = await statfs(SHM).then((info) => info.type === 0x01021994, () => false);
const tmpIsOnDisk = await statfs(tmpdir()).then((info) => info.type !== 0x01021994 && info.type !== 0x858458f6, () => false);

let temp: TempVault;
beforeEach(async () => (temp = await makeTempVault()));
afterEach(() => temp.cleanup());

describe('the editor', () => {
  it('is $EDITOR, else $VISUAL, else vi', () => {
    expect(editorFromEnv({ EDITOR: 'nano', VISUAL: 'code --wait' })).toBe('nano');
    expect(editorFromEnv({ VISUAL: 'code --wait' })).toBe('code --wait');
    expect(editorFromEnv({})).toBe('vi');
  });

  it('commit messages name the changed fields, never their values', () => {
    const message = editCommitMessage('vars', { A: { ip: 'secret-1' } }, { A: { ip: 'secret-2' }, B: 'secret-3' });
    expect(message).toBe('Edit vars by hand: A.ip, B');
    expect(message).not.toContain('secret');
  });
});

describe('the memory-backed scratch directory', () => {
  it('is /dev/shm, else $XDG_RUNTIME_DIR', () => {
    expect(memoryDirCandidates({ XDG_RUNTIME_DIR: '/run/user/1000' })).toEqual(['/dev/shm', '/run/user/1000']);
    expect(memoryDirCandidates({})).toEqual(['/dev/shm']);
  });

  it('is refused when no candidate exists, in one sentence', async () => {
    const message = await vaultFailure(chooseMemoryDir([join(temp.root, 'no-shm'), join(temp.root, 'no-runtime')]));
    expect(message).toMatch(/^no memory-backed directory to hold the decrypted text for editing \(tried .*no-shm and .*no-runtime\)/);
  });

  describeNeeding({ what: 'a temp dir on a persistent disk (Linux)', available: process.platform === 'linux' && tmpIsOnDisk }, 'with the temp dir on disk', () => {
    it('is refused when it lives on a persistent disk (the temp dir here)', async () => {
      const disk = await mkdtemp(join(tmpdir(), 'vault-test-disk-'));
      try {
        expect(await vaultFailure(chooseMemoryDir([disk]))).toMatch(/no memory-backed directory/);
      } finally {
        await rm(disk, { recursive: true, force: true });
      }
    });
  });

  describeNeeding({ what: 'a tmpfs at /dev/shm', available: shmIsTmpfs }, 'with /dev/shm', () => {
    it('holds a 0600 file in a private directory that is removed afterwards, even on failure', async () => {
      expect(await chooseMemoryDir([join(temp.root, 'missing'), SHM])).toBe(SHM);
      let seen = '';
      const result = await withScratchFile(SHM, 'vars.json', 'before', async (path) => {
        seen = path;
        expect((await stat(path)).mode & 0o777).toBe(0o600);
        await writeFile(path, 'after');
      });
      expect(result).toBe('after');
      expect(seen.startsWith(`${SHM}/personal-cloud-edit-`)).toBe(true);
      expect(existsSync(seen)).toBe(false);
      let failed = '';
      const crash = (path: string) => {
        failed = path;
        return Promise.reject(new Error('editor crashed'));
      };
      await expect(withScratchFile(SHM, 'x.json', 'x', crash)).rejects.toThrow('editor crashed');
      expect(failed).not.toBe('');
      expect(existsSync(failed)).toBe(false);
      expect(await readdir(SHM)).not.toContain(failed.split('/')[3]);
    });
  });
});

describeNeeding({ what: 'a tmpfs at /dev/shm', available: shmIsTmpfs }, 'editDocument', () => {
  let vault: Vault;
  let report: string;
  beforeEach(async () => {
    vault = await openVault(temp.options);
    await vault.withLock('setup', (session) => session.write('vars', { CLUSTER: { MASTER_1: { ip: '10.0.1.11' } } }, 'setup'));
    report = join(temp.root, 'editor-report.jsonl');
  });

  const options = (env: Record<string, string>): EditOptions => ({
    editor: `"${process.execPath}" "${EDITOR_SCRIPT}"`,
    env: { ...process.env, EDITOR_REPORT: report, ...env },
    memoryDirs: [SHM],
  });
  const reports = async () =>
    (await readFile(report, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { file: string; mode: string; content: string });

  it('writes a valid edit, after showing the editor the decrypted JSON in a 0600 file in memory', async () => {
    const outcome = await editDocument(vault, 'vars', options({ EDITOR_ACTION: 'set', EDITOR_JSON: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.99"}}}' }));
    expect(outcome).toEqual({ written: true, message: 'Edit vars by hand: CLUSTER.MASTER_1.ip' });
    expect(await vault.read('vars')).toEqual({ CLUSTER: { MASTER_1: { ip: '10.0.1.99' } } });
    expect(commitSubjects(temp.dir)[0]).toBe('Edit vars by hand: CLUSTER.MASTER_1.ip');
    const [seen] = await reports();
    expect(seen!.file.startsWith(`${SHM}/`)).toBe(true);
    expect(seen!.mode).toBe('600');
    expect(JSON.parse(seen!.content)).toEqual({ CLUSTER: { MASTER_1: { ip: '10.0.1.11' } } });
    expect(existsSync(seen!.file)).toBe(false);
  });

  it('writes nothing for an unchanged edit, even if reformatted', async () => {
    const before = await snapshotTree(temp.dir);
    expect(await editDocument(vault, 'vars', options({ EDITOR_ACTION: 'keep' }))).toEqual({ written: false });
    expect(await editDocument(vault, 'vars', options({ EDITOR_ACTION: 'replace', EDITOR_TEXT: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.11"}}}' }))).toEqual({ written: false });
    expect(await snapshotTree(temp.dir)).toEqual(before);
  });

  it.each([
    ['invalid JSON', '{"CLUSTER": ', /^your edit of vars is not valid JSON \(.*\); nothing was written, so run edit again to fix it\.$/],
    ['a schema violation', '{"CLUSTER":{"MASTER_1":{"ip":null}}}', /^your edit of vars does not match the vars schema at CLUSTER\.MASTER_1\.ip: /],
  ])('refuses %s naming the problem, and writes nothing', async (_what, text, message) => {
    const before = await snapshotTree(temp.dir);
    expect(await vaultFailure(editDocument(vault, 'vars', options({ EDITOR_ACTION: 'replace', EDITOR_TEXT: text })))).toMatch(message);
    expect(await snapshotTree(temp.dir)).toEqual(before);
    const [seen] = await reports();
    expect(existsSync(seen!.file)).toBe(false);
  });

  it('refuses when the editor fails, and writes nothing', async () => {
    const before = await snapshotTree(temp.dir);
    expect(await vaultFailure(editDocument(vault, 'vars', options({ EDITOR_ACTION: 'fail' })))).toMatch(/exited with status 3; nothing was written\.$/);
    expect(await snapshotTree(temp.dir)).toEqual(before);
  });

  it('holds the writer lock while the editor runs', async () => {
    const probe = join(temp.root, 'probe.mjs');
    await writeFile(probe, `import { existsSync } from 'node:fs'; if (!existsSync(${JSON.stringify(join(temp.dir, '.lock'))})) process.exit(9);`);
    await editDocument(vault, 'vars', { ...options({}), editor: `"${process.execPath}" "${probe}"` });
    expect(existsSync(join(temp.dir, '.lock'))).toBe(false);
  });

  it('refuses before decrypting anything when no memory-backed directory exists', async () => {
    await vaultFailure(editDocument(vault, 'vars', { ...options({ EDITOR_ACTION: 'set', EDITOR_JSON: '{"X":"y"}' }), memoryDirs: [join(tmpdir(), 'definitely-missing-dir')] }));
    expect(existsSync(report)).toBe(false);
  });
});
