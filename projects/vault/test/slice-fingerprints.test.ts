// The slice fingerprints a write leaves beside the ciphertext, as the Nx plugin
// (tools/nx-plugin/src/task-fingerprints.ts) reads them: one layer's write moves only the
// fingerprints of the layers that read what it wrote.
import { createHash } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault, type Vault } from '../src/index';
import { FINGERPRINTS_FILE } from '../src/slice-fingerprints';
import { vaultFingerprint } from '../../../tools/nx-plugin/src/task-fingerprints';
import { git, makeTempVault, type TempVault } from './support/temp-vault';

let temp: TempVault;
let vault: Vault;
beforeEach(async () => {
  temp = await makeTempVault();
  vault = await openVault(temp.options);
  await vault.withLock('test', (session) =>
    session.writeAll(
      {
        vars: { OPERATOR: { address: '203.0.113.4/32' }, CLUSTER: { MASTER_1: { ip: '10.0.1.11' } } },
        state: { version: 1, layers: { infra: { resources: {} }, hosts: { generation: 1 } } },
      },
      'seed',
    ),
  );
});
afterEach(() => temp.cleanup());

/** What Nx hashes for a layer that does not read `except`. */
const fingerprint = (...except: string[]) => vaultFingerprint(temp.dir, except);

describe('slice fingerprints', () => {
  it('leave a lower layer’s fingerprint alone when a layer above it writes its own state', async () => {
    const infra = fingerprint('state.layers.hosts');
    const hosts = fingerprint();
    await vault.withLock('test', (session) =>
      session.update(
        'state',
        (state) => ({ ...state, layers: { ...state.layers, hosts: { generation: 2 } } }),
        'hosts',
      ),
    );
    expect(fingerprint('state.layers.hosts')).toBe(infra);
    expect(fingerprint()).not.toBe(hosts);
  });

  it('move every reader’s fingerprint when a slice they read changes', async () => {
    const infra = fingerprint('state.layers.hosts');
    await vault.withLock('test', (session) =>
      session.update('vars', (vars) => ({ ...vars, OPERATOR: { address: '198.51.100.7/32' } }), 'operator'),
    );
    expect(fingerprint('state.layers.hosts')).not.toBe(infra);
  });

  it('stay put for a write of equal values, which writes nothing', async () => {
    const before = { fingerprint: fingerprint(), file: await readFile(join(temp.dir, FINGERPRINTS_FILE), 'utf8') };
    await vault.withLock('test', async (session) => session.write('vars', await session.read('vars'), 'same'));
    expect(fingerprint()).toBe(before.fingerprint);
    expect(await readFile(join(temp.dir, FINGERPRINTS_FILE), 'utf8')).toBe(before.file);
  });

  it('fall back to the ciphertext for a document written outside the vault, so nothing goes stale', async () => {
    await vault.withLock('test', (session) =>
      session.update(
        'state',
        (state) => ({ ...state, layers: { ...state.layers, hosts: { generation: 2 } } }),
        'hosts',
      ),
    );
    const infra = fingerprint('state.layers.hosts');
    // The previous state put back by hand: its slices infra reads are the same, but the entry
    // beside it describes the newer file, so it must not be trusted; only the ciphertext tells.
    await copyFile(join(temp.dir, 'cluster/state.json.age.backup'), join(temp.dir, 'cluster/state.json.age'));
    expect(fingerprint('state.layers.hosts')).not.toBe(infra);
  });

  it('hold keyed digests only: no value, no plain hash of one, and nothing for git', async () => {
    const text = await readFile(join(temp.dir, FINGERPRINTS_FILE), 'utf8');
    const file = JSON.parse(text) as { documents: Record<string, { slices: Record<string, string> }> };
    expect(Object.keys(file.documents.vars!.slices)).toEqual(['vars.CLUSTER', 'vars.OPERATOR']);
    expect(Object.keys(file.documents.state!.slices)).toEqual([
      'state.layers.hosts',
      'state.layers.infra',
      'state.version',
    ]);
    expect(text).not.toContain('203.0.113.4');
    const plain = createHash('sha256').update('{"address":"203.0.113.4/32"}').digest('hex');
    expect(file.documents.vars!.slices['vars.OPERATOR']).toMatch(/^[0-9a-f]{64}$/);
    expect(file.documents.vars!.slices['vars.OPERATOR']).not.toBe(plain);
    expect(git(temp.dir, 'status', '--porcelain')).toBe('');
  });
});
