import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeNeeding } from '../../../tools/test-support/external-tools';
import { openVault, type Vault } from '../src/index';
import { editCommitMessage, editDocument, type EditOptions } from '../src/operator/edit-document';
import { editorFromEnv } from '../src/operator/editor-command';
import { vaultFailure } from './support/one-sentence';
import { commitSubjects, makeTempVault, type TempVault } from './support/temp-vault';
import { snapshotTree } from './support/tree-snapshot';

const EDITOR_SCRIPT = fileURLToPath(new URL('./fixtures/editor.mjs', import.meta.url));
const SHM = '/dev/shm';
const shmIsTmpfs = await statfs(SHM).then(
  (info) => info.type === 0x01021994,
  () => false,
);

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

describeNeeding({ what: 'a tmpfs at /dev/shm', available: shmIsTmpfs }, 'editDocument', () => {
  let vault: Vault;
  let report: string;
  beforeEach(async () => {
    vault = await openVault(temp.options);
    await vault.withLock('setup', (session) =>
      session.write('vars', { CLUSTER: { MASTER_1: { ip: '10.0.1.11' } } }, 'setup'),
    );
    report = join(temp.root, 'editor-report.jsonl');
  });

  const options = (env: Record<string, string>): EditOptions => ({
    editor: `"${process.execPath}" "${EDITOR_SCRIPT}"`,
    env: { ...process.env, EDITOR_REPORT: report, ...env },
    tempPlaces: { memoryDirs: [SHM], fallbackDir: temp.root },
  });
  const reports = async () =>
    (await readFile(report, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; mode: string; content: string });

  it('writes a valid edit, after showing the editor the decrypted JSON in a 0600 file in memory', async () => {
    const outcome = await editDocument(
      vault,
      'vars',
      options({ EDITOR_ACTION: 'set', EDITOR_JSON: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.99"}}}' }),
    );
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
    expect(
      await editDocument(
        vault,
        'vars',
        options({ EDITOR_ACTION: 'replace', EDITOR_TEXT: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.11"}}}' }),
      ),
    ).toEqual({ written: false });
    expect(await snapshotTree(temp.dir)).toEqual(before);
  });

  it.each([
    [
      'invalid JSON',
      '{"CLUSTER": ',
      /^your edit of vars is not valid JSON \(.*\); nothing was written, so run edit again to fix it\.$/,
    ],
    [
      'a schema violation',
      '{"CLUSTER":{"MASTER_1":{"ip":null}}}',
      /^your edit of vars does not match the vars schema at CLUSTER\.MASTER_1\.ip: /,
    ],
  ])('refuses %s naming the problem, and writes nothing', async (_what, text, message) => {
    const before = await snapshotTree(temp.dir);
    expect(
      await vaultFailure(editDocument(vault, 'vars', options({ EDITOR_ACTION: 'replace', EDITOR_TEXT: text }))),
    ).toMatch(message);
    expect(await snapshotTree(temp.dir)).toEqual(before);
    const [seen] = await reports();
    expect(existsSync(seen!.file)).toBe(false);
  });

  it('refuses when the editor fails, and writes nothing', async () => {
    const before = await snapshotTree(temp.dir);
    expect(await vaultFailure(editDocument(vault, 'vars', options({ EDITOR_ACTION: 'fail' })))).toMatch(
      /exited with status 3; nothing was written\.$/,
    );
    expect(await snapshotTree(temp.dir)).toEqual(before);
  });

  it('holds the writer lock while the editor runs', async () => {
    const probe = join(temp.root, 'probe.mjs');
    await writeFile(
      probe,
      `import { existsSync } from 'node:fs'; if (!existsSync(${JSON.stringify(join(temp.dir, '.lock'))})) process.exit(9);`,
    );
    await editDocument(vault, 'vars', { ...options({}), editor: `"${process.execPath}" "${probe}"` });
    expect(existsSync(join(temp.dir, '.lock'))).toBe(false);
  });

  it('falls back to a private folder in the temp dir when no memory-backed directory exists, and says it is on disk', async () => {
    const fallbackDir = join(temp.root, 'fallback');
    await mkdir(fallbackDir);
    const places = { memoryDirs: [join(tmpdir(), 'definitely-missing-dir')], fallbackDir };
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    await editDocument(vault, 'vars', {
      ...options({ EDITOR_ACTION: 'set', EDITOR_JSON: '{"X":"y"}' }),
      tempPlaces: places,
      warn,
    });
    const [seen] = await reports();
    expect(seen!.file.startsWith(`${fallbackDir}/personal-cloud-${process.pid}-`)).toBe(true);
    expect(warnings).toEqual([
      `warning: no memory-backed folder here; ${seen!.file} is on disk (mode 0600) until the edit ends.`,
    ]);
    expect(seen!.mode).toBe('600');
    expect(await readdir(fallbackDir)).toEqual([]);
  });
});
