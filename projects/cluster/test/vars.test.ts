import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CloudError,
  collectVarRefs,
  isVarRef,
  loadClusterConfig,
  lookupVar,
  parseClusterConfig,
  resolveSecrets,
  resolveVars,
  setVar,
  varPath,
  varRef,
  vars,
} from '../src';
import { seedConfig } from './fixtures';

describe('vars references', () => {
  it('names any depth symbolically', () => {
    expect(varPath(vars.OPERATOR.ssh_public_key)).toBe('OPERATOR.ssh_public_key');
    expect(isVarRef(varRef('CLUSTER.MASTER_1.ip'))).toBe(true);
    expect(varPath(varRef('CLUSTER.MASTER_1.ip'))).toBe('CLUSTER.MASTER_1.ip');
    expect(JSON.stringify({ ip: varRef('CLUSTER.MASTER_1.ip') })).toBe('{"ip":"${vars.CLUSTER.MASTER_1.ip}"}');
  });

  it('resolves every reference from a vars document, in memory', () => {
    const doc = setVar(setVar({}, 'OPERATOR.ssh_public_key', 'ssh-ed25519 AAAA'), 'CLUSTER.MASTER_1.ip', '10.0.1.10');
    expect(lookupVar(doc, 'CLUSTER.MASTER_1.ip')).toBe('10.0.1.10');
    expect(resolveVars({ a: [varRef('CLUSTER.MASTER_1.ip')], b: 1 }, doc)).toEqual({ a: ['10.0.1.10'], b: 1 });
    expect(collectVarRefs({ a: [varRef('X.y')] })).toEqual([{ at: 'a.0', ref: expect.anything() }]);
  });

  it('names every missing var at once', () => {
    expect(() => resolveVars({ a: varRef('A.b'), c: varRef('C.d') }, {})).toThrow(
      /lacks vars\.A\.b \(used at a\), vars\.C\.d \(used at c\)/,
    );
  });

  it('validates resolved operator values as strictly as literal ones', () => {
    const c = seedConfig();
    c.operator = { sshPublicKey: vars.OPERATOR.ssh_public_key, address: vars.OPERATOR.address };
    const config = parseClusterConfig(c);
    const key = seedConfig().operator.sshPublicKey;
    expect(resolveSecrets(config, { OPERATOR: { ssh_public_key: key, address: '198.51.100.7' } })).toEqual({
      sshPublicKey: key,
      operatorAddress: '198.51.100.7',
    });
    expect(() => resolveSecrets(config, { OPERATOR: { ssh_public_key: 'nope', address: '198.51.100.7' } })).toThrow(
      /vars\.OPERATOR\.ssh_public_key is "nope", which must be an OpenSSH public key/,
    );
    expect(() => resolveSecrets(config, { OPERATOR: { ssh_public_key: key, address: 'home' } })).toThrow(CloudError);
    // Hetzner refuses a source network with host bits set; the vars are held to the same rule as the config.
    expect(() => resolveSecrets(config, { OPERATOR: { ssh_public_key: key, address: '198.51.100.7/24' } })).toThrow(
      /no host bits set/,
    );
  });
});

describe('loading cluster.config.ts', () => {
  const write = async (text: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-config-'));
    const file = join(dir, 'cluster.config.ts');
    await writeFile(file, text);
    return file;
  };

  it('loads and validates a config file', async () => {
    const file = await write(`export default ${JSON.stringify(seedConfig())};`);
    expect((await loadClusterConfig(file)).name).toBe('pc');
  });

  it('explains a missing file, a file that does not load, and a missing default export', async () => {
    await expect(loadClusterConfig('/nonexistent/cluster.config.ts')).rejects.toThrow(/does not exist: create it/);
    await expect(loadClusterConfig(await write('export default {{;'))).rejects.toThrow(/could not be loaded/);
    await expect(loadClusterConfig(await write('export const x = 1;'))).rejects.toThrow(/has no default export/);
  });

  it('names the file in validation errors', async () => {
    const file = await write(`export default ${JSON.stringify({ ...seedConfig(), phase: 7 })};`);
    await expect(loadClusterConfig(file)).rejects.toThrow(
      /cluster\.config\.ts is not a valid cluster description[\s\S]*phase: must be a phase from 1 to 4/,
    );
  });
});
