import { Decrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault, vaultOptionsFromEnv, type Vault } from '../src/index';
import { WORKSPACE_ROOT } from './support/child-process';
import { commitSubjects, git, makeTempVault, type TempVault } from './support/temp-vault';

let temp: TempVault;
beforeEach(async () => (temp = await makeTempVault()));
afterEach(() => temp.cleanup());

const vars = { CLUSTER: { MASTER_1: { ip: '10.0.1.11', hetzner_id: '42' } } };

async function decryptWith(secret: string, path: string): Promise<unknown> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(secret);
  return JSON.parse(await decrypter.decrypt(armor.decode(await readFile(path, 'utf8')), 'text'));
}

describe('openVault on first use', () => {
  it('creates the identity and a git repo with .gitignore and recipients.txt, committed', async () => {
    const vault = await openVault(temp.options);
    expect(vault.dir).toBe(temp.dir);
    expect(vault.recipient).toMatch(/^age1/);
    expect(await readFile(join(temp.dir, 'recipients.txt'), 'utf8')).toContain(`\n${vault.recipient}\n`);
    const ignored = (await readFile(join(temp.dir, '.gitignore'), 'utf8')).split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.lock', '*.backup', '*.tmp']));
    expect(commitSubjects(temp.dir)).toEqual(['Initialize the secrets repository']);
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
    expect(temp.logs.filter((line) => line.includes(temp.identityPath))).toHaveLength(1);
  });

  it('is initialized once when many open it at the same time (parallel Nx tasks on a fresh clone)', async () => {
    const vaults = await Promise.all(Array.from({ length: 6 }, () => openVault(temp.options)));
    expect(new Set(vaults.map((each) => each.recipient)).size).toBe(1);
    expect(commitSubjects(temp.dir)).toEqual(['Initialize the secrets repository']);
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });

  it('leaves an existing repo alone on the next open', async () => {
    const first = await openVault(temp.options);
    const second = await openVault(temp.options);
    expect(second.recipient).toBe(first.recipient);
    expect(commitSubjects(temp.dir)).toHaveLength(1);
  });

  it('does not write recipients.txt into a repo that already has history', async () => {
    await mkdir(temp.dir, { recursive: true });
    git(temp.dir, 'init', '-q');
    await writeFile(join(temp.dir, 'README'), 'mine\n');
    git(temp.dir, 'add', 'README');
    git(temp.dir, '-c', 'user.name=me', '-c', 'user.email=me@x', 'commit', '-q', '-m', 'mine');
    await openVault(temp.options);
    await expect(stat(join(temp.dir, 'recipients.txt'))).rejects.toThrow(/ENOENT/);
    expect(commitSubjects(temp.dir)).toEqual(['mine']);
  });

  it('keeps its git away from an enclosing repository (./.secrets inside the workspace)', async () => {
    const outer = join(temp.root, 'workspace');
    await mkdir(outer, { recursive: true });
    git(outer, 'init', '-q');
    const vault = await openVault({ ...temp.options, dir: join(outer, '.secrets') });
    await vault.withLock('test', (session) => session.write('vars', vars, 'set vars'));
    expect(commitSubjects(vault.dir)).toEqual(['set vars', 'Initialize the secrets repository']);
    expect(() => git(outer, 'rev-parse', '--verify', '-q', 'HEAD')).toThrow();
  });
});

describe('reading and writing documents', () => {
  let vault: Vault;
  beforeEach(async () => (vault = await openVault(temp.options)));

  it('reads absent documents as their empty defaults', async () => {
    expect(await vault.read('state')).toEqual({ version: 1, layers: {} });
    expect(await vault.read('vars')).toEqual({});
    expect(await vault.read('tokens')).toEqual({});
  });

  it('writes armored age files that decrypt to the JSON, and reads them back', async () => {
    await vault.withLock('test', async (session) => {
      await session.write('vars', vars, 'Record master 1');
      expect(await session.read('vars')).toEqual(vars);
    });
    const file = join(temp.dir, 'cluster/vars.json.age');
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n')).toBe(true);
    expect(text).not.toContain('10.0.1.11');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const secret = (await readFile(temp.identityPath, 'utf8'))
      .split('\n')
      .find((line) => line.startsWith('AGE-SECRET-KEY-'))!;
    expect(await decryptWith(secret, file)).toEqual(vars);
    expect(await vault.read('vars')).toEqual(vars);
  });

  it('commits each write with the caller’s message, and nothing else is left pending', async () => {
    await vault.withLock('test', async (session) => {
      await session.write('vars', vars, 'Record master 1');
      await session.update(
        'state',
        (state) => ({ ...state, layers: { infra: { servers: 1 } } }),
        'infra: create master-1',
      );
      await session.write('tokens', { hcloud: 'secret-token' }, 'Store the Hetzner token');
    });
    expect(commitSubjects(temp.dir)).toEqual([
      'Store the Hetzner token',
      'infra: create master-1',
      'Record master 1',
      'Initialize the secrets repository',
    ]);
    expect(git(temp.dir, 'show', '--name-only', '--format=', 'HEAD~1').trim()).toBe('cluster/state.json.age');
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });

  it('keeps the previous version as <file>.backup, untracked', async () => {
    await vault.withLock('test', async (session) => {
      await session.write('vars', { A: '1' }, 'v1');
      await expect(stat(join(temp.dir, 'cluster/vars.json.age.backup'))).rejects.toThrow(/ENOENT/);
      const v1 = await readFile(join(temp.dir, 'cluster/vars.json.age'));
      await session.write('vars', { A: '2' }, 'v2');
      expect(await readFile(join(temp.dir, 'cluster/vars.json.age.backup'))).toEqual(v1);
      await session.write('vars', { A: '3' }, 'v3');
    });
    const secret = (await readFile(temp.identityPath, 'utf8'))
      .split('\n')
      .find((line) => line.startsWith('AGE-SECRET-KEY-'))!;
    expect(await decryptWith(secret, join(temp.dir, 'cluster/vars.json.age.backup'))).toEqual({ A: '2' });
    expect(git(temp.dir, 'ls-files')).not.toContain('.backup');
  });

  it('writes nothing for an unchanged value: same ciphertext, no commit, same fingerprint', async () => {
    await vault.withLock('test', (session) => session.write('vars', vars, 'first'));
    const before = { fingerprint: vault.fingerprint('vars'), commits: commitSubjects(temp.dir) };
    await vault.withLock('test', async (session) => {
      await session.write(
        'vars',
        { CLUSTER: { MASTER_1: { hetzner_id: '42', ip: '10.0.1.11' } } },
        'same, keys reordered',
      );
      await session.update('vars', (current) => current, 'identity update');
    });
    expect(vault.fingerprint('vars')).toBe(before.fingerprint);
    expect(commitSubjects(temp.dir)).toEqual(before.commits);
  });

  it('update passes the current value and returns what it wrote', async () => {
    await vault.withLock('test', async (session) => {
      await session.write('tokens', { a: '1' }, 'a');
      const next = await session.update('tokens', (tokens) => ({ ...tokens, b: '2' }), 'b');
      expect(next).toEqual({ a: '1', b: '2' });
    });
    expect(await vault.read('tokens')).toEqual({ a: '1', b: '2' });
  });

  it('encrypts to every recipient in recipients.txt', async () => {
    const teammate = await generateX25519Identity();
    await writeFile(
      join(temp.dir, 'recipients.txt'),
      `# us\n${vault.recipient}\n\n# teammate\n${await identityToRecipient(teammate)}\n`,
    );
    await vault.withLock('test', (session) => session.write('tokens', { hcloud: 't' }, 'token'));
    expect(await decryptWith(teammate, join(temp.dir, 'cluster/tokens.json.age'))).toEqual({ hcloud: 't' });
  });

  it('refuses a session after release, and releases the lock when withLock’s function throws', async () => {
    const session = await vault.lock('first');
    await session.release();
    await expect(session.read('vars')).rejects.toThrow(/released/);
    await expect(vault.withLock('boom', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(stat(join(temp.dir, '.lock'))).rejects.toThrow(/ENOENT/);
    await vault.withLock('again', async () => undefined);
  });

  it('refuses an empty commit message', async () => {
    await vault.withLock('test', async (session) => {
      await expect(session.write('vars', vars, '  ')).rejects.toThrow(/commit message/);
    });
  });
});

describe('git commits', () => {
  it('fall back to personal-cloud <personal-cloud@localhost> when git has no user', async () => {
    const vault = await openVault(temp.options);
    await vault.withLock('test', (session) => session.write('vars', vars, 'vars'));
    expect(git(temp.dir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>').trim()).toBe(
      'personal-cloud <personal-cloud@localhost>|personal-cloud <personal-cloud@localhost>',
    );
  });

  it('use the configured user when there is one', async () => {
    const vault = await openVault(temp.options);
    git(temp.dir, 'config', 'user.name', 'Ada Operator');
    git(temp.dir, 'config', 'user.email', 'ada@example.org');
    await vault.withLock('test', (session) => session.write('vars', vars, 'vars'));
    expect(git(temp.dir, 'log', '-1', '--format=%an <%ae>').trim()).toBe('Ada Operator <ada@example.org>');
  });

  it('are not wedged by a stale .git/index.lock from a killed git; the removal is logged', async () => {
    const vault = await openVault(temp.options);
    await writeFile(join(temp.dir, '.git', 'index.lock'), '');
    await vault.withLock('test', (session) => session.write('vars', vars, 'after a crash'));
    expect(commitSubjects(temp.dir)[0]).toBe('after a crash');
    expect(temp.logs.some((line) => /stale git lock .*index\.lock/.test(line))).toBe(true);
  });

  it('commit only the written document, leaving other staged work alone', async () => {
    const vault = await openVault(temp.options);
    await writeFile(join(temp.dir, 'notes.txt'), 'mine\n');
    git(temp.dir, 'add', 'notes.txt');
    await vault.withLock('test', (session) => session.write('vars', vars, 'vars only'));
    expect(git(temp.dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('cluster/vars.json.age');
    expect(git(temp.dir, 'status', '--porcelain').trim()).toBe('A  notes.txt');
  });
});

describe('fingerprint', () => {
  it('hashes ciphertext exactly as the Nx runtime input (vault-fingerprint.mjs) does', async () => {
    const vault = await openVault(temp.options);
    const script = join(WORKSPACE_ROOT, 'tools/nx-plugin/src/vault-fingerprint.mjs');
    const nx = (...docs: string[]) =>
      execFileSync(process.execPath, [script, ...docs], {
        env: { ...process.env, CLOUD_SECRETS_DIR: temp.dir },
        encoding: 'utf8',
      }).trim();
    expect(vault.fingerprint('vars', 'state')).toBe(nx('vars', 'state'));
    await vault.withLock('test', (session) => session.write('vars', vars, 'vars'));
    expect(vault.fingerprint('vars', 'state')).toBe(nx('vars', 'state'));
    expect(vault.fingerprint('vars')).toBe(nx('vars'));
    expect(vault.fingerprint()).toBe(nx('state', 'vars', 'tokens'));
  });

  it('changes when a document’s ciphertext changes, and only for that document', async () => {
    const vault = await openVault(temp.options);
    const before = { vars: vault.fingerprint('vars'), state: vault.fingerprint('state') };
    await vault.withLock('test', (session) => session.write('vars', vars, 'vars'));
    expect(vault.fingerprint('vars')).not.toBe(before.vars);
    expect(vault.fingerprint('state')).toBe(before.state);
    expect(vault.fingerprint('vars', 'state')).not.toBe(vault.fingerprint('state', 'vars'));
  });
});

describe('vaultOptionsFromEnv', () => {
  it('defaults to ./.secrets and ~/.config/personal-cloud/age-identity.txt, creating only in the sandbox', () => {
    const options = vaultOptionsFromEnv({ HOME: '/home/ada' }, { sandbox: true });
    expect(options).toEqual({
      dir: join(process.cwd(), '.secrets'),
      identityPath: '/home/ada/.config/personal-cloud/age-identity.txt',
      createOnFirstUse: true,
    });
    expect(vaultOptionsFromEnv({ HOME: '/home/ada' }, { sandbox: false }).createOnFirstUse).toBe(false);
  });

  it('honours XDG_CONFIG_HOME, CLOUD_SECRETS_DIR and CLOUD_AGE_IDENTITY, resolving relative paths', () => {
    expect(vaultOptionsFromEnv({ HOME: '/h', XDG_CONFIG_HOME: '/xdg' }, { sandbox: true }).identityPath).toBe(
      '/xdg/personal-cloud/age-identity.txt',
    );
    const options = vaultOptionsFromEnv(
      { CLOUD_SECRETS_DIR: 'elsewhere/secrets', CLOUD_AGE_IDENTITY: '/keys/me.txt' },
      { sandbox: false },
    );
    expect(options.dir).toBe(join(process.cwd(), 'elsewhere/secrets'));
    expect(options.identityPath).toBe('/keys/me.txt');
  });
});

describe('writeAll', () => {
  it('writes several documents as one commit, and skips the ones that did not change', async () => {
    const vault = await openVault(temp.options);
    await vault.withLock('test', (session) =>
      session.writeAll({ vars, tokens: { K3S_TOKEN: 'k' } }, 'two documents at once'),
    );
    expect(commitSubjects(temp.dir)[0]).toBe('two documents at once');
    expect(git(temp.dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'cluster/tokens.json.age',
      'cluster/vars.json.age',
    ]);
    await vault.withLock('test', (session) =>
      session.writeAll({ vars, tokens: { K3S_TOKEN: 'k2' } }, 'only the token'),
    );
    expect(git(temp.dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('cluster/tokens.json.age');
    const commits = commitSubjects(temp.dir).length;
    await vault.withLock('test', (session) => session.writeAll({ vars, tokens: { K3S_TOKEN: 'k2' } }, 'nothing'));
    expect(commitSubjects(temp.dir)).toHaveLength(commits);
  });

  it('writes nothing when one of the documents is invalid', async () => {
    const vault = await openVault(temp.options);
    await expect(
      vault.withLock('test', (session) => session.writeAll({ vars, state: { version: 2 } as never }, 'bad state')),
    ).rejects.toThrow(/state/);
    expect(commitSubjects(temp.dir)).toEqual(['Initialize the secrets repository']);
  });
});

describe('a write interrupted between its rename and its commit', () => {
  it('is committed by the next write of the same value', async () => {
    const vault = await openVault(temp.options);
    await vault.withLock('test', (session) => session.write('vars', vars, 'vars'));
    // As if the writer died after the rename: the file is new, HEAD does not have it.
    git(temp.dir, 'reset', '-q', '--soft', 'HEAD~1');
    git(temp.dir, 'reset', '-q');
    expect(git(temp.dir, 'status', '--porcelain', '--untracked-files=all')).toContain('cluster/vars.json.age');
    await vault.withLock('test', (session) => session.write('vars', vars, 'the same vars again'));
    expect(commitSubjects(temp.dir)[0]).toBe('Commit a write that was interrupted before its commit');
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });
});
