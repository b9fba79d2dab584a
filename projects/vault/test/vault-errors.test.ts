import { Encrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault, type Vault } from '../src/index';
import { vaultFailure } from './support/one-sentence';
import { commitSubjects, git, makeTempVault, writeNewIdentity, type TempVault } from './support/temp-vault';
import { snapshotTree } from './support/tree-snapshot';

let temp: TempVault;
let vault: Vault;
const varsFile = () => join(temp.dir, 'cluster/vars.json.age');
const stateFile = () => join(temp.dir, 'cluster/state.json.age');

beforeEach(async () => {
  temp = await makeTempVault();
  vault = await openVault(temp.options);
  await vault.withLock('setup', async (session) => {
    await session.write('vars', { CLUSTER: { MASTER_1: { ip: '10.0.1.11' } } }, 'setup vars');
    await session.write('vars', { CLUSTER: { MASTER_1: { ip: '10.0.1.12' } } }, 'setup vars again');
  });
});
afterEach(() => temp.cleanup());

async function encryptTo(recipient: string, plaintext: string): Promise<string> {
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(plaintext));
}

/** Runs `attempt`, expects a one-sentence VaultError, and checks that not one file under the temp root changed. */
async function failsChangingNothing(attempt: () => Promise<unknown>): Promise<string> {
  const before = await snapshotTree(temp.root);
  const message = await vaultFailure(attempt());
  expect(await snapshotTree(temp.root)).toEqual(before);
  return message;
}

const tryWrite = (target: Vault = vault) =>
  target.withLock('test', (session) => session.write('vars', { X: 'y' }, 'must not happen'));
const tryUpdate = () =>
  vault.withLock('test', (session) => session.update('vars', (vars) => ({ ...vars, X: 'y' }), 'must not happen'));

describe('a document that cannot be decrypted', () => {
  it('is refused as not encrypted to this identity (wrong key), for reads and writes', async () => {
    const otherIdentity = join(temp.root, 'other-identity.txt');
    await writeNewIdentity(otherIdentity);
    const other = await openVault(temp.optionsWith(otherIdentity));
    // The other key may write (it is a recipient now), but the existing file was never encrypted to it.
    await writeFile(join(temp.dir, 'recipients.txt'), `${vault.recipient}\n${other.recipient}\n`);
    git(temp.dir, 'commit', '-qam', 'add a recipient');
    const message = await failsChangingNothing(() => other.read('vars'));
    expect(message).toMatch(
      new RegExp(
        `^${varsFile()} is not encrypted to your age identity ${otherIdentity} \\(public key ${other.recipient}\\)`,
      ),
    );
    expect(await failsChangingNothing(() => tryWrite(other))).toBe(message);
  });

  it('is refused as corrupted when its ciphertext is damaged', async () => {
    const lines = (await readFile(varsFile(), 'utf8')).split('\n');
    const index = lines.length - 3; // a payload line, after the header
    const line = lines[index]!;
    lines[index] = `${line.slice(0, 10)}${line[10] === 'A' ? 'B' : 'A'}${line.slice(11)}`;
    await writeFile(varsFile(), lines.join('\n'));
    const message = await failsChangingNothing(() => vault.read('vars'));
    expect(message).toMatch(
      new RegExp(
        `^${varsFile()} is corrupted \\(it fails age's integrity check: .*\\); restore it from ${varsFile()}\\.backup or from the secrets repo's git history\\.$`,
      ),
    );
    await failsChangingNothing(tryUpdate);
    await failsChangingNothing(tryWrite);
  });

  it('is refused as corrupted when its armor is damaged', async () => {
    const text = await readFile(varsFile(), 'utf8');
    await writeFile(varsFile(), text.replace(/\n([A-Za-z0-9+/]{20})/, '\n$1!'));
    expect(await failsChangingNothing(() => vault.read('vars'))).toMatch(/is corrupted \(its ASCII armor is damaged/);
  });

  it('is refused as truncated when the file was cut short', async () => {
    const text = await readFile(varsFile(), 'utf8');
    await writeFile(varsFile(), text.slice(0, Math.floor(text.length / 2)));
    expect(await failsChangingNothing(() => vault.read('vars'))).toMatch(
      new RegExp(`^${varsFile()} is truncated \\(its armor has no END line\\)`),
    );
    await failsChangingNothing(tryWrite);
  });

  it('is refused as truncated when it is empty', async () => {
    await writeFile(varsFile(), '');
    expect(await failsChangingNothing(() => vault.read('vars'))).toMatch(
      /is empty, a truncated write; restore it from .*\.backup/,
    );
  });

  it.each([
    ['inside the magic line', 10, /is truncated \(it ends inside the age header\)/],
    ['inside the header', 150, /is corrupted or truncated \(it fails age's integrity check: invalid stanza\)/],
    ['inside the payload', -20, /is corrupted or truncated \(it fails age's integrity check: invalid tag\)/],
  ])('is refused when a binary age file was cut %s', async (_where, cut, message) => {
    const encrypter = new Encrypter();
    encrypter.addRecipient(vault.recipient);
    const binary = await encrypter.encrypt(`${'{"A":"'.padEnd(2000, 'x')}"}`);
    await writeFile(varsFile(), binary.subarray(0, cut < 0 ? binary.length + cut : cut));
    expect(await failsChangingNothing(() => vault.read('vars'))).toMatch(message);
  });

  it('is refused when it is not an age file at all', async () => {
    await writeFile(varsFile(), '{"CLUSTER": {}}\n');
    expect(await failsChangingNothing(() => vault.read('vars'))).toMatch(/is not an age-encrypted file/);
  });
});

describe('a document that decrypts but is invalid', () => {
  it('names the failing field path', async () => {
    await writeFile(stateFile(), await encryptTo(vault.recipient, JSON.stringify({ version: 1, layers: 5 })));
    const message = await failsChangingNothing(() => vault.read('state'));
    expect(message).toMatch(
      new RegExp(
        `^${stateFile()} decrypts, but does not match the state schema at layers: invalid input: expected record, received number; correct it with \`npm run state -- edit state\``,
      ),
    );
  });

  it('names a nested vars field', async () => {
    await writeFile(
      varsFile(),
      await encryptTo(vault.recipient, JSON.stringify({ CLUSTER: { MASTER_1: { ip: ['10.0.1.11'] } } })),
    );
    expect(await failsChangingNothing(() => vault.read('vars'))).toMatch(
      /does not match the vars schema at CLUSTER\.MASTER_1\.ip: expected a string, a number, a boolean or a nested object/,
    );
    await failsChangingNothing(tryUpdate);
  });

  it('reports JSON that does not parse', async () => {
    await writeFile(varsFile(), await encryptTo(vault.recipient, '{"CLUSTER": '));
    expect(await failsChangingNothing(() => vault.read('vars'))).toMatch(/decrypts, but is not valid JSON/);
  });
});

describe('refused writes', () => {
  it('refuse a value that fails the schema, naming the field', async () => {
    const message = await failsChangingNothing(() =>
      vault.withLock('test', (session) =>
        session.write('state', { version: 1, layers: { infra: {} }, extra: true } as never, 'bad'),
      ),
    );
    expect(message).toMatch(
      /^the new state document does not match the state schema at the top level: unrecognized key: "extra"; nothing was written\.$/,
    );
  });

  it('refuse when recipients.txt does not include the identity (you could not read what you write)', async () => {
    const stranger = await identityToRecipient(await generateX25519Identity());
    await writeFile(join(temp.dir, 'recipients.txt'), `# someone else\n${stranger}\n`);
    const message = await failsChangingNothing(tryWrite);
    expect(message).toBe(
      `${join(temp.dir, 'recipients.txt')} does not include your public key ${vault.recipient}, so you could not read what you write; add that line to it (or use the identity it lists).`,
    );
  });

  it('refuse when recipients.txt is missing', async () => {
    await rm(join(temp.dir, 'recipients.txt'));
    expect(await failsChangingNothing(tryWrite)).toMatch(
      /recipients\.txt is missing, so there is no one to encrypt to/,
    );
  });

  it('refuse when recipients.txt holds a malformed line or a key with a bad checksum', async () => {
    await writeFile(join(temp.dir, 'recipients.txt'), `${vault.recipient}\nnot-a-key\n`);
    expect(await failsChangingNothing(tryWrite)).toMatch(/line 2 of .*recipients\.txt is not an age public key/);
    const damaged = vault.recipient.slice(0, -1) + (vault.recipient.endsWith('q') ? 'p' : 'q');
    await writeFile(join(temp.dir, 'recipients.txt'), `${vault.recipient}\n${damaged}\n`);
    expect(await failsChangingNothing(tryWrite)).toMatch(/holds a recipient that is not a valid age public key/);
  });

  it('refuse a second lock while one is held, naming pid, host, start time and purpose', async () => {
    const session = await vault.lock('provision infra');
    const message = await failsChangingNothing(() => vault.lock('edit vars'));
    expect(message).toMatch(
      new RegExp(
        `^the secrets repo ${temp.dir} is locked by pid ${process.pid} on host \\S+ since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z for "provision infra"; wait for that command to finish, or remove ${temp.dir}/\\.lock if that process no longer exists\\.$`,
      ),
    );
    await session.release();
  });
});

describe('identity problems', () => {
  it('a missing identity that may not be created stops before anything is made', async () => {
    await mkdir(join(temp.root, 'half-made', '.git'), { recursive: true });
    const before = await snapshotTree(temp.root);
    const message = await vaultFailure(
      openVault({ ...temp.optionsWith(join(temp.root, 'nope', 'id.txt'), false), dir: join(temp.root, 'half-made') }),
    );
    expect(message).toMatch(/the age identity .*nope\/id\.txt does not exist; set CLOUD_AGE_IDENTITY/);
    expect(await snapshotTree(temp.root)).toEqual(before);
  });

  // Issue 11, defect 2: a new key for a repo encrypted to another one is useless.
  it.each([
    ['the sandbox world', true],
    ['the Hetzner world', false],
  ])(
    "in %s, a missing identity for an existing repo is not created: the repo's recipients are named",
    async (_world, createOnFirstUse) => {
      const missing = join(temp.root, 'moved-away', 'age-identity.txt');
      const message = await failsChangingNothing(() => openVault(temp.optionsWith(missing, createOnFirstUse)));
      expect(message).toBe(
        `the age identity ${missing} does not exist, and the secrets repo ${temp.dir} is encrypted to ${vault.recipient}; point CLOUD_AGE_IDENTITY at the identity of one of those keys or restore it from your backup, nothing was written.`,
      );
    },
  );

  it('a malformed identity file is named with its line and nothing is made', async () => {
    const bad = join(temp.root, 'bad-identity.txt');
    await writeFile(bad, '# mine\nAGE-SECRET-KEY-1NOTREALLY\n');
    const fresh = join(temp.root, 'fresh-repo');
    const before = await snapshotTree(temp.root);
    expect(await vaultFailure(openVault({ ...temp.optionsWith(bad), dir: fresh }))).toMatch(
      /^line 2 of the age identity .*bad-identity\.txt is a damaged age secret key/,
    );
    expect(await snapshotTree(temp.root)).toEqual(before);
  });

  it('an identity file with several keys decrypts with whichever matches', async () => {
    const text = await readFile(temp.identityPath, 'utf8');
    const multi = join(temp.root, 'multi.txt');
    await mkdir(temp.root, { recursive: true });
    await writeFile(multi, `# first an unrelated key\n${await generateX25519Identity()}\n${text}`);
    const reader = await openVault(temp.optionsWith(multi, false));
    expect(await reader.read('vars')).toEqual({ CLUSTER: { MASTER_1: { ip: '10.0.1.12' } } });
    expect(commitSubjects(temp.dir)).toHaveLength(3);
  });
});
