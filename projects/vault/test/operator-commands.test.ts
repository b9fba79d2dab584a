import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { openVault, runStateCommand, type Vault } from '../src/index';
import { commitPending } from '../src/operator/commit-pending';
import { diffDocument } from '../src/operator/diff-document';
import { openVaultParts } from '../src/vault';
import { vaultFailure } from './support/one-sentence';
import { commitSubjects, git, makeTempVault, type TempVault } from './support/temp-vault';
import { snapshotTree } from './support/tree-snapshot';

let temp: TempVault;
let vault: Vault;
beforeEach(async () => {
  temp = await makeTempVault();
  vault = await openVault(temp.options);
  await vault.withLock('setup', (session) =>
    session.write('vars', { CLUSTER: { MASTER_1: { ip: '10.0.1.11' } } }, 'setup'),
  );
});
afterEach(() => temp.cleanup());

const recipientsFile = () => join(temp.dir, 'recipients.txt');
const varsFile = () => join(temp.dir, 'cluster/vars.json.age');
const ageEncrypt = (json: unknown) =>
  execFileSync('age', ['-e', '-a', '-R', recipientsFile()], { input: JSON.stringify(json) });

describeWithTool('age', 'diff and commit after re-encrypting by hand with the age CLI', () => {
  it('diff shows the decrypted field changes against HEAD; commit commits them; then diff is empty', async () => {
    const parts = await openVaultParts(temp.options);
    expect(await diffDocument(parts, 'vars')).toBe('cluster/vars.json.age: no differences from HEAD.');
    await writeFile(
      varsFile(),
      ageEncrypt({ CLUSTER: { MASTER_1: { ip: '10.0.1.12' }, WORKER_1: { ip: '10.0.2.1' } } }),
    );
    expect(await diffDocument(parts, 'vars')).toBe(
      [
        '--- HEAD:cluster/vars.json.age',
        '+++ cluster/vars.json.age (working file)',
        '~ CLUSTER.MASTER_1.ip: "10.0.1.11" → "10.0.1.12"',
        '+ CLUSTER.WORKER_1: {"ip":"10.0.2.1"}',
      ].join('\n'),
    );
    expect(await commitPending(parts, 'Move master 1')).toEqual({
      committed: true,
      files: ['cluster/vars.json.age'],
      message: 'Move master 1',
    });
    expect(commitSubjects(temp.dir)[0]).toBe('Move master 1');
    expect(await diffDocument(parts, 'vars')).toBe('cluster/vars.json.age: no differences from HEAD.');
    expect(await commitPending(parts)).toEqual({ committed: false });
  });

  it('commit refuses when a pending document fails its schema, committing nothing', async () => {
    await writeFile(varsFile(), ageEncrypt({ CLUSTER: { MASTER_1: { ip: [1] } } }));
    const head = git(temp.dir, 'rev-parse', 'HEAD');
    expect(await vaultFailure(commitPending(await openVaultParts(temp.options)))).toMatch(
      /does not match the vars schema at CLUSTER\.MASTER_1\.ip/,
    );
    expect(git(temp.dir, 'rev-parse', 'HEAD')).toBe(head);
  });
});

describe('diff', () => {
  it('counts a document absent at HEAD as its empty default', async () => {
    await vault.withLock('x', (session) => session.write('tokens', { a: 'b' }, 'tokens'));
    git(temp.dir, 'rm', '-q', '--cached', 'cluster/tokens.json.age');
    git(temp.dir, 'commit', '-qm', 'untrack tokens');
    expect(await diffDocument(await openVaultParts(temp.options), 'tokens')).toBe(
      ['--- HEAD:cluster/tokens.json.age (absent)', '+++ cluster/tokens.json.age (working file)', '+ a: "b"'].join(
        '\n',
      ),
    );
  });
});

describe('commit', () => {
  it('refuses when a document is corrupted, changing nothing', async () => {
    await writeFile(varsFile(), (await readFile(varsFile(), 'utf8')).slice(0, 100));
    const before = await snapshotTree(temp.root);
    expect(await vaultFailure(commitPending(await openVaultParts(temp.options)))).toMatch(/is truncated/);
    expect(await snapshotTree(temp.root)).toEqual(before);
  });

  it('commits a recipients.txt edit but never the lock, backups or temp files', async () => {
    await vault.withLock('x', (session) => session.write('vars', { A: 'b' }, 'make a backup'));
    await writeFile(recipientsFile(), `${await readFile(recipientsFile(), 'utf8')}# a note\n`);
    await writeFile(join(temp.dir, '.gitignore'), '');
    const outcome = await commitPending(await openVaultParts(temp.options));
    expect(outcome).toMatchObject({ committed: true, files: ['.gitignore', 'recipients.txt'] });
    expect(
      git(temp.dir, 'ls-files')
        .split('\n')
        .filter((name) => /backup|lock|tmp/.test(name)),
    ).toEqual([]);
  });

  it('refuses when recipients.txt no longer includes the committer', async () => {
    await writeFile(recipientsFile(), '# nobody\n');
    expect(await vaultFailure(commitPending(await openVaultParts(temp.options)))).toMatch(
      /does not include your public key/,
    );
  });
});

describe('runStateCommand', () => {
  const run = async (...args: string[]) => {
    const io = { env: {}, out: '', err: '' };
    const code = await runStateCommand(args, temp.options, {
      env: io.env,
      out: (text) => (io.out += text),
      err: (text) => (io.err += text),
    });
    return { code, out: io.out, err: io.err };
  };

  it('show prints the decrypted JSON, state by default', async () => {
    expect(await run('show')).toEqual({ code: 0, out: '{\n  "version": 1,\n  "layers": {}\n}\n', err: '' });
    expect(JSON.parse((await run('show', 'vars')).out)).toEqual({ CLUSTER: { MASTER_1: { ip: '10.0.1.11' } } });
  });

  it('prints usage for no or an unknown command (exit 2) and for help (exit 0)', async () => {
    expect(await run()).toMatchObject({ code: 2, out: '' });
    expect((await run('frobnicate')).err).toMatch(/^unknown command "frobnicate"\.\nusage: state\.ts show/);
    expect(await run('help')).toMatchObject({ code: 0 });
  });

  it('refuses an unknown document or extra arguments in one sentence', async () => {
    expect(await vaultFailure(run('show', 'secrets'))).toBe(
      'there is no document "secrets" in the secrets repo; name one of state, vars, tokens.',
    );
    expect(await vaultFailure(run('show', 'vars', 'state'))).toMatch(
      /^unexpected arguments after the document name: state;/,
    );
    expect(await vaultFailure(run('rotate', 'now'))).toMatch(/^rotate takes no arguments/);
  });
});
