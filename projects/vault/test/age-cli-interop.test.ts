import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { openVault, type Vault } from '../src/index';
import { makeTempVault, writeNewIdentity, type TempVault } from './support/temp-vault';

let temp: TempVault;
let vault: Vault;
beforeEach(async () => {
  temp = await makeTempVault();
  vault = await openVault(temp.options);
});
afterEach(() => temp.cleanup());

const age = (args: string[], input?: string | Buffer) =>
  execFileSync('age', args, { input, maxBuffer: 16 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
const vars = { CLUSTER: { MASTER_1: { ip: '10.0.1.11', hetzner_id: '42' }, WORKER_3: { hetzner_id: 7 } } };

describeWithTool('age', 'files the vault writes, read by the age CLI', () => {
  it('age -d -i <identity> cluster/state.json.age prints the JSON', async () => {
    const state = { version: 1 as const, layers: { infra: { servers: { 'master-1': { id: 42 } } } } };
    await vault.withLock('test', async (session) => {
      await session.write('state', state, 'state');
      await session.write('vars', vars, 'vars');
    });
    const printed = age(['-d', '-i', temp.identityPath, join(temp.dir, 'cluster/state.json.age')]).toString('utf8');
    expect(JSON.parse(printed)).toEqual(state);
    expect(
      JSON.parse(age(['-d', '-i', temp.identityPath, join(temp.dir, 'cluster/vars.json.age')]).toString('utf8')),
    ).toEqual(vars);
  });

  it('the CLI refuses the file with an unrelated identity (the vault really encrypts)', async () => {
    await vault.withLock('test', (session) => session.write('vars', vars, 'vars'));
    const stranger = join(temp.root, 'stranger.txt');
    await writeNewIdentity(stranger);
    const other = await openVault(temp.optionsWith(stranger));
    expect(other.recipient).not.toBe(vault.recipient);
    // Refused for the right reason: the key, not a missing file or a broken command line.
    expect(() => age(['-d', '-i', stranger, join(temp.dir, 'cluster/vars.json.age')], undefined)).toThrow(
      /no identity matched any of the recipients/,
    );
  });
});

describeWithTool('age', 'files the age CLI writes, read by the vault', () => {
  it('reads a file encrypted with age -e -a -R recipients.txt', async () => {
    const file = join(temp.dir, 'cluster/vars.json.age');
    await writeFile(file, age(['-e', '-a', '-R', join(temp.dir, 'recipients.txt')], JSON.stringify(vars)));
    expect(await vault.read('vars')).toEqual(vars);
  });

  it('reads a binary (unarmored) file from age -e -R', async () => {
    const file = join(temp.dir, 'cluster/tokens.json.age');
    await writeFile(file, age(['-e', '-R', join(temp.dir, 'recipients.txt')], JSON.stringify({ hcloud: 'tok' })));
    expect((await readFile(file)).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(await vault.read('tokens')).toEqual({ hcloud: 'tok' });
  });

  it('then rewrites it in armor, still readable by the CLI', async () => {
    const file = join(temp.dir, 'cluster/vars.json.age');
    await writeFile(file, age(['-e', '-a', '-R', join(temp.dir, 'recipients.txt')], JSON.stringify(vars)));
    await vault.withLock('test', (session) =>
      session.update('vars', (current) => ({ ...current, EXTRA: true }), 'extra'),
    );
    expect(JSON.parse(age(['-d', '-i', temp.identityPath, file]).toString('utf8'))).toEqual({ ...vars, EXTRA: true });
  });
});

describeWithTool('age-keygen', 'identities made by age-keygen', () => {
  it('are read by the vault, comments and all', async () => {
    const keyFile = join(temp.root, 'keygen.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const separate = await openVault({ ...temp.optionsWith(keyFile), dir: join(temp.root, 'other-repo') });
    expect(separate.recipient).toBe(recipient);
    await separate.withLock('test', (session) => session.write('vars', vars, 'vars'));
    expect(
      JSON.parse(age(['-d', '-i', keyFile, join(separate.dir, 'cluster/vars.json.age')]).toString('utf8')),
    ).toEqual(vars);
  });
});
