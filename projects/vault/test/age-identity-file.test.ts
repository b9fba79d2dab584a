import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadIdentity, parseIdentityFile } from '../src/age-identity-file';
import { VaultError } from '../src/vault-error';
import { makeTempVault, type TempVault } from './support/temp-vault';

let temp: TempVault;
beforeEach(async () => (temp = await makeTempVault()));
afterEach(() => temp.cleanup());

describe('parseIdentityFile', () => {
  it('keeps every key of an age-keygen style file, skipping comments and blank lines', async () => {
    const [a, b] = [await generateX25519Identity(), await generateX25519Identity()];
    const text = `# created: 2024-01-01T00:00:00Z\n# public key: x\n${a}\n\n  # another\r\n${b}\r\n`;
    const keys = await parseIdentityFile(text, '/id');
    expect(keys).toEqual([
      { secret: a, recipient: await identityToRecipient(a) },
      { secret: b, recipient: await identityToRecipient(b) },
    ]);
  });

  it.each([
    ['a line that is not a key', '# ok\nhello\n', /^line 2 of the age identity \/id is not an age secret key/],
    [
      'a damaged key',
      'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n',
      /^line 1 of the age identity \/id is a damaged age secret key/,
    ],
    ['an ssh key', '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n', /starts an ssh or PEM key/],
    ['no key at all', '# only a comment\n\n', /^the age identity \/id holds no secret key/],
  ])('refuses %s in one sentence', async (_name, text, message) => {
    const error = await parseIdentityFile(text, '/id').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/AGE-SECRET-KEY-1Q/);
  });
});

describe('loadIdentity', () => {
  it('creates a missing identity when allowed: mode 0600, parent directories made, path logged once', async () => {
    const keys = await loadIdentity(temp.identityPath, { createMissing: true, log: (line) => temp.logs.push(line) });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.recipient).toMatch(/^age1[a-z0-9]+$/);
    expect((await stat(temp.identityPath)).mode & 0o777).toBe(0o600);
    const text = await readFile(temp.identityPath, 'utf8');
    expect(text).toContain(`# public key: ${keys[0]!.recipient}\n`);
    expect(text).toContain(keys[0]!.secret);
    expect(temp.logs).toHaveLength(1);
    expect(temp.logs[0]).toContain(temp.identityPath);

    const again = await loadIdentity(temp.identityPath, { createMissing: true, log: (line) => temp.logs.push(line) });
    expect(again).toEqual(keys);
    expect(temp.logs).toHaveLength(1);
  });

  it('makes an X25519 key, which Debian age 1.1.1 can read (not a post-quantum one)', async () => {
    const [key] = await loadIdentity(temp.identityPath, { createMissing: true, log: () => undefined });
    expect(key!.secret).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/);
  });

  it('lets racing creators agree on one identity', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        loadIdentity(temp.identityPath, { createMissing: true, log: (line) => temp.logs.push(line) }),
      ),
    );
    const recipients = new Set(results.map((keys) => keys[0]!.recipient));
    expect(recipients.size).toBe(1);
    expect(temp.logs).toHaveLength(1);
  });

  it('refuses a missing identity when it may not create one, creating nothing', async () => {
    const error = await loadIdentity(temp.identityPath, { createMissing: false, log: () => undefined }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VaultError);
    expect((error as Error).message).toBe(
      `the age identity ${temp.identityPath} does not exist; set CLOUD_AGE_IDENTITY to your identity file or restore it from your backup.`,
    );
    await expect(stat(join(temp.root, 'config'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a directory where the identity file should be', async () => {
    await mkdir(temp.identityPath, { recursive: true });
    await expect(loadIdentity(temp.identityPath, { createMissing: true, log: () => undefined })).rejects.toThrow(
      /is a directory; point CLOUD_AGE_IDENTITY/,
    );
  });

  it('reads an existing identity without rewriting it', async () => {
    await mkdir(join(temp.root, 'config', 'personal-cloud'), { recursive: true });
    const secret = await generateX25519Identity();
    await writeFile(temp.identityPath, `${secret}\n`, { mode: 0o600 });
    const keys = await loadIdentity(temp.identityPath, { createMissing: true, log: (line) => temp.logs.push(line) });
    expect(keys.map((key) => key.secret)).toEqual([secret]);
    expect(await readFile(temp.identityPath, 'utf8')).toBe(`${secret}\n`);
    expect(temp.logs).toEqual([]);
  });
});
