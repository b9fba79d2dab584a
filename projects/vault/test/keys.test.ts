import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import {
  collectKeySpecs,
  ensureKeys,
  generateOpenSshKeyPair,
  openSshPublicKeyOf,
  openVault,
  toOpenSshPrivateKey,
  type KeySpec,
} from '../src/index';
import { commitSubjects, makeTempVault, type TempVault } from './support/temp-vault';

let temp: TempVault;
beforeEach(async () => (temp = await makeTempVault()));
afterEach(() => temp.cleanup());

/** A spec whose generator counts its calls, so a test sees which keys were made. */
function countingSpec(token: string, calls: string[]): KeySpec {
  return {
    token,
    purpose: `test key ${token}`,
    generate: () => (calls.push(token), `value-of-${token}-${calls.length}`),
  };
}

describe('ensureKeys', () => {
  it('generates every missing key in one commit, then a run that finds them all writes nothing', async () => {
    const vault = await openVault(temp.options);
    const calls: string[] = [];
    const specs = [countingSpec('K3S_TOKEN', calls), countingSpec('SSH_HOST_KEY_WORKER_1', calls)];
    const first = await ensureKeys(vault, specs);
    expect(first.generated.map((s) => s.token)).toEqual(['K3S_TOKEN', 'SSH_HOST_KEY_WORKER_1']);
    expect(Object.keys(await vault.read('tokens'))).toEqual(['K3S_TOKEN', 'SSH_HOST_KEY_WORKER_1']);
    expect(commitSubjects(temp.dir)[0]).toBe('keys: 2 generated (K3S_TOKEN, SSH_HOST_KEY_WORKER_1)');

    const tokensFile = join(temp.dir, 'cluster/tokens.json.age');
    const before = {
      bytes: await readFile(tokensFile),
      mtime: (await stat(tokensFile)).mtimeMs,
      commits: commitSubjects(temp.dir).length,
    };
    const second = await ensureKeys(vault, specs);
    expect(second.generated).toEqual([]);
    expect(calls).toHaveLength(2);
    expect(await readFile(tokensFile)).toEqual(before.bytes);
    expect((await stat(tokensFile)).mtimeMs).toBe(before.mtime);
    expect(commitSubjects(temp.dir)).toHaveLength(before.commits);
  });

  it('adds only what is missing and never replaces a key that exists', async () => {
    const vault = await openVault(temp.options);
    await vault.withLock('seed', (session) =>
      session.write('tokens', { K3S_TOKEN: 'the-running-cluster-token', HCLOUD: 'other' }, 'seed'),
    );
    const calls: string[] = [];
    await ensureKeys(vault, [countingSpec('K3S_TOKEN', calls), countingSpec('SSH_HOST_KEY_MASTER_1', calls)]);
    expect(calls).toEqual(['SSH_HOST_KEY_MASTER_1']);
    expect(await vault.read('tokens')).toEqual({
      K3S_TOKEN: 'the-running-cluster-token',
      HCLOUD: 'other',
      SSH_HOST_KEY_MASTER_1: 'value-of-SSH_HOST_KEY_MASTER_1-1',
    });
  });

  it('refuses two specs with one token name, and a bad name, before writing anything', async () => {
    const vault = await openVault(temp.options);
    const calls: string[] = [];
    await expect(
      ensureKeys(vault, [countingSpec('K3S_TOKEN', calls), countingSpec('K3S_TOKEN', calls)]),
    ).rejects.toThrow('two key specs name the token K3S_TOKEN; each key needs its own name.');
    await expect(ensureKeys(vault, [countingSpec('k3s-token', calls)])).rejects.toThrow(
      /bad token name; allowed: upper-case letters/,
    );
    expect(calls).toEqual([]);
    expect(await vault.read('tokens')).toEqual({});
  });
});

describe('collectKeySpecs', () => {
  it("gathers each project's src/key-specs.ts, in name order, and names a file without keySpecs", async () => {
    const projects = join(temp.root, 'projects');
    const write = async (project: string, body: string) => {
      await mkdir(join(projects, project, 'src'), { recursive: true });
      await writeFile(join(projects, project, 'src/key-specs.ts'), body);
    };
    await mkdir(join(projects, 'cluster'), { recursive: true });
    await write(
      'hosts',
      `export const keySpecs = (config) => [{ token: 'K3S_TOKEN', purpose: config.name, generate: () => 'x' }];`,
    );
    await write(
      'builder',
      `export const keySpecs = () => [{ token: 'CACHE_SIGNING_KEY', purpose: 'cache', generate: () => 'y' }];`,
    );
    const found = await collectKeySpecs(projects, { name: 'demo' } as never);
    expect(found.map((l) => [l.project, l.specs.map((s) => `${s.token}:${s.purpose}`)])).toEqual([
      ['builder', ['CACHE_SIGNING_KEY:cache']],
      ['hosts', ['K3S_TOKEN:demo']],
    ]);
    await write('k8s-apps', 'export const other = 1;');
    await expect(collectKeySpecs(projects, { name: 'demo' } as never)).rejects.toThrow(
      /k8s-apps\/src\/key-specs.ts does not export a keySpecs function/,
    );
  });
});

describeWithTool('ssh-keygen', 'OpenSSH ed25519 keys', () => {
  const keygenPublic = async (privateKey: string) => {
    const file = join(temp.root, `key-${Math.random().toString(16).slice(2)}`);
    await writeFile(file, privateKey, { mode: 0o600 });
    return execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
  };

  it('writes private keys ssh-keygen reads, with the public key it derives', async () => {
    const pair = generateOpenSshKeyPair('root@demo-master-1');
    expect(pair.privateKey).toMatch(
      /^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/,
    );
    const derived = await keygenPublic(pair.privateKey);
    expect(`${derived.split(' ').slice(0, 2).join(' ')} root@demo-master-1`).toBe(pair.publicKey);
    expect(openSshPublicKeyOf(pair.privateKey)).toBe(derived.split(' ').slice(0, 2).join(' '));
  });

  it("converts the sandbox operator key's PKCS#8 PEM to the OpenSSH form of the same key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const converted = toOpenSshPrivateKey(pem);
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    expect(Buffer.from((await keygenPublic(converted)).split(' ')[1]!, 'base64').subarray(-32)).toEqual(raw);
    expect(toOpenSshPrivateKey(converted)).toBe(converted);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(() => toOpenSshPrivateKey(rsa)).toThrow('the private key is rsa, not ed25519.');
    expect(() => toOpenSshPrivateKey('garbage')).toThrow(
      'the private key is neither an OpenSSH private key nor a PEM private key.',
    );
  });
});
