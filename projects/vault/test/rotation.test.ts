import { Decrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { execFileSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { parseIdentityFile } from '../src/age-identity-file';
import { DOC_NAMES, openVault, type Vault } from '../src/index';
import { rotateIdentity } from '../src/operator/rotate-identity';
import { openVaultParts } from '../src/vault';
import { startTsx, type Child } from './support/child-process';
import { vaultFailure } from './support/one-sentence';
import { commitSubjects, git, makeTempVault, type TempVault } from './support/temp-vault';

const CRASH_ON_RENAME = fileURLToPath(new URL('./fixtures/crash-on-rename.ts', import.meta.url));

const documents = {
  state: { version: 1 as const, layers: { infra: { servers: ['master-1'] } } },
  vars: { CLUSTER: { MASTER_1: { ip: '10.0.1.11', hetzner_id: '42' } } },
  tokens: { hcloud: 'hcloud-token' },
};

let temp: TempVault;
let vault: Vault;
let teammate: string;
const children: Child[] = [];

beforeEach(async () => {
  temp = await makeTempVault();
  vault = await openVault(temp.options);
  teammate = await generateX25519Identity();
  await writeFile(
    join(temp.dir, 'recipients.txt'),
    `# me\n${vault.recipient}\n# teammate\n${await identityToRecipient(teammate)}\n`,
  );
  git(temp.dir, 'commit', '-qam', 'add the teammate');
  await vault.withLock('setup', async (session) => {
    await session.write('state', documents.state, 'state');
    await session.write('vars', documents.vars, 'vars');
    await session.write('tokens', documents.tokens, 'tokens');
  });
});
afterEach(async () => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  await temp.cleanup();
});

async function keysIn(path: string) {
  return parseIdentityFile(await readFile(path, 'utf8'), path);
}

async function readsEverything(identityPath: string): Promise<void> {
  const reader = await openVault(temp.optionsWith(identityPath, false));
  for (const doc of DOC_NAMES) expect(await reader.read(doc), doc).toEqual(documents[doc]);
}

describe('rotate', () => {
  it('re-encrypts every document to a new key that replaces the old one in recipients.txt', async () => {
    const oldRecipient = vault.recipient;
    const rotation = await rotateIdentity(await openVaultParts(temp.options));
    expect(rotation.retired).toEqual([oldRecipient]);
    expect(rotation.reencrypted.sort()).toEqual(['state', 'tokens', 'vars']);

    const current = await keysIn(temp.identityPath);
    expect(current.map((key) => key.recipient)).toEqual([rotation.recipient]);
    expect((await keysIn(`${temp.identityPath}.old`)).map((key) => key.recipient)).toEqual([oldRecipient]);
    for (const path of [temp.identityPath, `${temp.identityPath}.old`])
      expect((await stat(path)).mode & 0o777).toBe(0o600);

    const recipients = await readFile(join(temp.dir, 'recipients.txt'), 'utf8');
    expect(recipients).toBe(`# me\n${rotation.recipient}\n# teammate\n${await identityToRecipient(teammate)}\n`);

    await readsEverything(temp.identityPath);
    const withOldKey = await openVault(temp.optionsWith(`${temp.identityPath}.old`, false));
    for (const doc of DOC_NAMES)
      expect(await vaultFailure(withOldKey.read(doc))).toMatch(/is not encrypted to your age identity/);

    // The teammate was kept as a recipient of every re-encrypted document.
    const decrypter = new Decrypter();
    decrypter.addIdentity(teammate);
    for (const doc of DOC_NAMES) {
      const text = await readFile(join(temp.dir, `cluster/${doc}.json.age`), 'utf8');
      expect(JSON.parse(await decrypter.decrypt(armor.decode(text), 'text'))).toEqual(documents[doc]);
    }

    expect(commitSubjects(temp.dir)[0]).toBe(
      `Rotate the age identity: re-encrypt to ${rotation.recipient} instead of ${oldRecipient}`,
    );
    expect(git(temp.dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'cluster/state.json.age',
      'cluster/tokens.json.age',
      'cluster/vars.json.age',
      'recipients.txt',
    ]);
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });

  it('keeps history readable: the .old identity decrypts the previous commit', async () => {
    await rotateIdentity(await openVaultParts(temp.options));
    const history = join(temp.root, 'history');
    execFileSync('git', ['-C', temp.dir, 'worktree', 'add', '-q', '--detach', history, 'HEAD~1']);
    const reader = await openVault({ ...temp.optionsWith(`${temp.identityPath}.old`, false), dir: history });
    expect(await reader.read('vars')).toEqual(documents.vars);
  });

  it('twice in a row keeps every retired key in .old', async () => {
    const first = vault.recipient;
    const second = (await rotateIdentity(await openVaultParts(temp.options))).recipient;
    const third = (await rotateIdentity(await openVaultParts(temp.options))).recipient;
    expect((await keysIn(`${temp.identityPath}.old`)).map((key) => key.recipient)).toEqual([first, second]);
    expect((await keysIn(temp.identityPath)).map((key) => key.recipient)).toEqual([third]);
    await readsEverything(temp.identityPath);
  });

  it('refuses to start when a document cannot be decrypted, changing nothing', async () => {
    await writeFile(join(temp.dir, 'cluster/vars.json.age'), '-----BEGIN AGE ENCRYPTED FILE-----\nAAAA\n');
    const identityBefore = await readFile(temp.identityPath, 'utf8');
    await vaultFailure(rotateIdentity(await openVaultParts(temp.options)));
    expect(await readFile(temp.identityPath, 'utf8')).toBe(identityBefore);
    expect(git(temp.dir, 'status', '--porcelain').trim()).toBe('M cluster/vars.json.age');
  });
});

describe.each([
  ['appending the new key to the identity file', 'age-identity.txt', 0, 1],
  ['re-encrypting the second document', 'vars.json.age', 0, 2],
  ['writing recipients.txt', 'recipients.txt', 0, 2],
  ['shrinking the identity file to the new key', 'age-identity.txt', 1, 2],
])('a crash while %s', (_step, target, after, keysAfterCrash) => {
  it('leaves every document readable, and a rerun completes the rotation', async () => {
    const child = startTsx(CRASH_ON_RENAME, [temp.dir, temp.identityPath, 'rotate'], {
      ...process.env,
      CRASH_RENAME_TO: target,
      CRASH_AFTER: String(after),
    });
    children.push(child);
    await child.waitForLine(/^crashing$/);
    expect((await child.exited).signal).toBe('SIGKILL');

    expect(await keysIn(temp.identityPath)).toHaveLength(keysAfterCrash);
    await readsEverything(temp.identityPath);

    const rotation = await rotateIdentity(await openVaultParts(temp.options));
    expect((await keysIn(temp.identityPath)).map((key) => key.recipient)).toEqual([rotation.recipient]);
    await readsEverything(temp.identityPath);
    expect(await readFile(join(temp.dir, 'recipients.txt'), 'utf8')).not.toContain(vault.recipient);
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });
});

describeWithTool('age', 'after a rotation, the age CLI', () => {
  it('reads every document with the new identity, and none with the old', async () => {
    await rotateIdentity(await openVaultParts(temp.options));
    for (const doc of DOC_NAMES) {
      const file = join(temp.dir, `cluster/${doc}.json.age`);
      const printed = execFileSync('age', ['-d', '-i', temp.identityPath, file], { encoding: 'utf8' });
      expect(JSON.parse(printed)).toEqual(documents[doc]);
      expect(() => execFileSync('age', ['-d', '-i', `${temp.identityPath}.old`, file], { stdio: 'pipe' })).toThrow(
        /no identity matched any of the recipients/,
      );
    }
  });
});
