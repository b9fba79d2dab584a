// The key step's note (keys-index.ts): trusted while the config, the sources and the named keys
// are as they were, so the plugin skips the key step without decrypting; any doubt runs it.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { keysIndexIsCurrent, recordKeysComplete } from '../src/keys/keys-index';

const env = {};
let root: string;
let secrets: string;

/** The two documents as the vault leaves them: ciphertext, and its slice digests in fingerprints.json. */
function writeVault(tokens: Record<string, string>, vars: Record<string, string>): void {
  const documents: Record<string, unknown> = {};
  for (const [doc, slices] of Object.entries({ tokens, vars })) {
    const ciphertext = `age ciphertext of ${doc} ${JSON.stringify(slices)}`;
    writeFileSync(join(secrets, 'cluster', `${doc}.json.age`), ciphertext);
    documents[doc] = { ciphertext: createHash('sha256').update(ciphertext).digest('hex'), slices };
  }
  writeFileSync(join(secrets, 'cluster/fingerprints.json'), JSON.stringify({ version: 1, documents }));
}

const keys = { tokens: ['K3S_TOKEN', 'CACHE_KEY'], publicVars: ['CACHE.public_key'] };
const tokens = { 'tokens.K3S_TOKEN': 'a1', 'tokens.CACHE_KEY': 'b1' };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pc-keys-index-'));
  secrets = join(root, '.secrets');
  mkdirSync(join(secrets, 'cluster'), { recursive: true });
  mkdirSync(join(root, 'projects/hosts/src'), { recursive: true });
  writeFileSync(join(root, 'cluster.config.ts'), 'export default { phase: 4 };\n');
  writeFileSync(join(root, 'projects/hosts/src/key-specs.ts'), 'export const keySpecs = () => [];\n');
  writeVault(tokens, { 'vars.CACHE': 'c1', 'vars.CLUSTER': 'd1' });
  recordKeysComplete(root, secrets, env, keys);
});

describe('the key step’s note', () => {
  it('holds while nothing it covers changed, and when the vault changed elsewhere', () => {
    expect(keysIndexIsCurrent(root, secrets, env)).toBe(true);
    // infra records its servers in vars.CLUSTER: no key is touched, so the step is not needed.
    writeVault({ ...tokens, 'tokens.KUBECONFIG': 'k1' }, { 'vars.CACHE': 'c1', 'vars.CLUSTER': 'd2' });
    expect(keysIndexIsCurrent(root, secrets, env)).toBe(true);
  });

  it('fails when a named key is gone or a public half changed', () => {
    writeVault({ 'tokens.K3S_TOKEN': 'a1' }, { 'vars.CACHE': 'c1', 'vars.CLUSTER': 'd1' });
    expect(keysIndexIsCurrent(root, secrets, env)).toBe(false);
    writeVault(tokens, { 'vars.CACHE': 'c2', 'vars.CLUSTER': 'd1' });
    expect(keysIndexIsCurrent(root, secrets, env)).toBe(false);
  });

  it('fails when the config or a source changed, or a document was written past the fingerprints', () => {
    writeFileSync(join(root, 'cluster.config.ts'), 'export default { phase: 3 };\n');
    expect(keysIndexIsCurrent(root, secrets, env)).toBe(false);
    recordKeysComplete(root, secrets, env, keys);
    writeFileSync(join(root, 'projects/hosts/src/key-specs.ts'), 'export const keySpecs = () => [1];\n');
    expect(keysIndexIsCurrent(root, secrets, env)).toBe(false);
    recordKeysComplete(root, secrets, env, keys);
    writeFileSync(join(secrets, 'cluster/tokens.json.age'), 'written with the age CLI');
    expect(keysIndexIsCurrent(root, secrets, env)).toBe(false);
  });
});
