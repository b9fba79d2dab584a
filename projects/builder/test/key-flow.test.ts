// The builder's keys through the one key step: made once with their public halves in the vars, in
// one commit; a second run writes nothing; render reads only the public halves, so no private key
// reaches dist/.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookupVar, nodesInPhase, setVar } from '@personal-cloud/cluster';
import { ensureKeys, findLeaks, openSshPublicKeyOf, openVault, type Vault } from '@personal-cloud/vault';
import { keySpecs } from '../src/key-specs';
import { nixPublicKeyOf } from '../src/keys/nix-signing-key';
import { renderBuilder } from '../src/render/render-builder';
import { privateKeyShape } from '../src/check/private-key-shapes';
import { builderConfig, NIXPKGS, OXYGEN_IP } from './fixtures';

describe("the builder's key specs", () => {
  it('list the host key, the client key and the cache key, each with the var of its public half', () => {
    expect(keySpecs(builderConfig()).map((s) => [s.token, s.publicHalf?.varPath])).toEqual([
      ['BUILDER_SSH_HOST_KEY', 'BUILDER.ssh_host_public_key'],
      ['BUILDER_CLIENT_KEY', 'BUILDER.client_public_key'],
      ['ATTIC_SIGNING_KEY', 'CACHE.public_key'],
    ]);
  });

  it('without a builder only the cache key, and without a cache app too nothing', () => {
    const noBuilder = builderConfig(4, (c) => {
      c.oxygen!.roles = ['worker'];
    });
    expect(keySpecs(noBuilder).map((s) => s.token)).toEqual(['ATTIC_SIGNING_KEY']);
    const nothing = builderConfig(4, (c) => {
      c.oxygen!.enabled = false;
      c.apps = c.apps.filter((a: { name: string }) => a.name !== 'nix-cache');
    });
    expect(keySpecs(nothing)).toEqual([]);
  });
});

describe('the key step with the builder keys', () => {
  let root: string;
  let vault: Vault;
  const config = builderConfig();
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'builder-keys-'));
    vault = await openVault({
      dir: join(root, 'secrets'),
      identityPath: join(root, 'identity.txt'),
      createOnFirstUse: true,
    });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('makes each key once, its public half in the vars derived from it, and a second run writes nothing', async () => {
    const first = await ensureKeys(vault, keySpecs(config));
    expect(first.generated.map((s) => s.token)).toEqual([
      'BUILDER_SSH_HOST_KEY',
      'BUILDER_CLIENT_KEY',
      'ATTIC_SIGNING_KEY',
    ]);
    const tokens = await vault.read('tokens');
    const vars = await vault.read('vars');
    expect(lookupVar(vars, 'BUILDER.ssh_host_public_key')).toBe(openSshPublicKeyOf(tokens.BUILDER_SSH_HOST_KEY!));
    expect(lookupVar(vars, 'BUILDER.client_public_key')).toBe(openSshPublicKeyOf(tokens.BUILDER_CLIENT_KEY!));
    expect(lookupVar(vars, 'CACHE.public_key')).toBe(nixPublicKeyOf(tokens.ATTIC_SIGNING_KEY!));
    expect(String(lookupVar(vars, 'CACHE.public_key'))).toMatch(/^pc-cache-1:[A-Za-z0-9+/]{43}=$/);

    const files = ['tokens', 'vars'].map((doc) => join(root, `secrets/cluster/${doc}.json.age`));
    const before = await Promise.all(files.map((f) => readFile(f)));
    const fingerprint = vault.fingerprint();
    expect(await ensureKeys(vault, keySpecs(config))).toEqual({ generated: [], publicVars: [], total: 3 });
    expect(await Promise.all(files.map((f) => readFile(f)))).toEqual(before);
    expect(vault.fingerprint()).toBe(fingerprint);
  });

  it('rewrites a stale public half from the private key it belongs to, and keeps the key', async () => {
    await ensureKeys(vault, keySpecs(config));
    const tokens = await vault.read('tokens');
    await vault.withLock('test: a stale var', (s) =>
      s.update('vars', (v) => setVar(v, 'CACHE.public_key', 'pc-cache-1:stale'), 'test: stale'),
    );
    const again = await ensureKeys(vault, keySpecs(config));
    expect(again).toMatchObject({ generated: [], publicVars: ['CACHE.public_key'] });
    expect(await vault.read('tokens')).toEqual(tokens);
    expect(lookupVar(await vault.read('vars'), 'CACHE.public_key')).toBe(nixPublicKeyOf(tokens.ATTIC_SIGNING_KEY!));
  });

  it('render reads the public halves from the vars, and no private key or token value is in what it writes', async () => {
    await ensureKeys(vault, keySpecs(config));
    const vars = setVar(await vault.read('vars'), 'OXYGEN.tailscale_ip', OXYGEN_IP);
    const rendered = renderBuilder({ config, nodes: nodesInPhase(config), vars, nixpkgs: NIXPKGS });
    expect(rendered.missingVars).toEqual([]);
    const files = Object.entries(rendered.files).map(([path, text]) => ({ path, text }));
    expect(files.length).toBeGreaterThan(5);
    expect(findLeaks(files, await vault.read('tokens'))).toEqual([]);
    expect(files.filter((f) => privateKeyShape(f.text))).toEqual([]);
    const hostKey = String(lookupVar(vars, 'BUILDER.ssh_host_public_key'));
    expect(rendered.files['operator/machines']).toContain(Buffer.from(hostKey).toString('base64'));
  });
});
