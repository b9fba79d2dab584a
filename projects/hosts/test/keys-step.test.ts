// The one key step (vault:keys) with the hosts layer's specs: the k3s token and one SSH host key
// per node, generated once; a second run writes nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { openSshPublicKeyOf, openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { K3S_TOKEN } from '@personal-cloud/layer-kit';
import { hostKeyToken, keySpecs } from '../src/key-specs';
import { configAt } from './fixtures';

const WORKSPACE = resolve(import.meta.dirname, '../../..');

describe("hosts' key specs", () => {
  it('list the k3s token and one host key per node of the phase, named by vars key', () => {
    const config = configAt(2);
    expect(keySpecs(config).map((s) => s.token)).toEqual([
      K3S_TOKEN,
      ...nodesInPhase(config).map((n) => hostKeyToken(n.name)),
    ]);
    expect(nodesInPhase(config).map((n) => hostKeyToken(n.name))).toEqual(
      nodesInPhase(config).map((n) => `SSH_HOST_KEY_${n.varsKey}`),
    );
    expect(keySpecs(configAt(2)).map((s) => s.token)).toContain('SSH_HOST_KEY_MASTER_3');
    const hostKey = keySpecs(config)
      .find((s) => s.token === 'SSH_HOST_KEY_MASTER_1')!
      .generate();
    expect(openSshPublicKeyOf(hostKey)).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA/);
    expect(keySpecs(config)[0]!.generate()).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('vault:keys', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'hosts-keys-'));
    env = {
      ...process.env,
      CLOUD_SECRETS_DIR: join(root, 'secrets'),
      CLOUD_AGE_IDENTITY: join(root, 'identity.txt'),
      HCLOUD_TOKEN: '',
    };
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const keysStep = () =>
    execFileSync('node', ['tools/nx-plugin/src/run-target.mjs', 'projects/vault', 'keys'], {
      cwd: WORKSPACE,
      env,
      encoding: 'utf8',
    });

  it("generates the workspace's keys once; the next run writes nothing", async () => {
    const vault = await openVault({ ...vaultOptionsFromEnv(env, { sandbox: true }) });
    const first = keysStep();
    expect(first).toMatch(/^keys: generated \d+ of \d+ key\(s\) into the vault's tokens:/);
    const tokens = await vault.read('tokens');
    expect(tokens[K3S_TOKEN]).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.SSH_HOST_KEY_WORKER_1).toContain('-----BEGIN OPENSSH PRIVATE KEY-----');
    const file = join(root, 'secrets/cluster/tokens.json.age');
    const before = await readFile(file);
    expect(keysStep()).toMatch(/^keys: all \d+ key\(s\) present \(.*hosts \d+.*\); nothing written\.$/m);
    expect(await readFile(file)).toEqual(before);
  });

  it('reports a missing vault in one sentence and makes none', () => {
    let message = '';
    try {
      keysStep();
    } catch (error) {
      message = String((error as { stderr: string }).stderr);
    }
    expect(message).toContain(
      'holds no vault (no secrets repo there); check CLOUD_SECRETS_DIR, or create one with `npm run state -- init`.',
    );
    expect(existsSync(join(root, 'secrets'))).toBe(false);
  });
});
