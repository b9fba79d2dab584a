// Fingerprints of what the layers' cacheable targets read outside the workspace's files (the
// vault, a config that CLOUD_CONFIG names elsewhere), for Nx to hash as `{ env }` inputs. The
// plugin's pre-task hook computes them in its own process and sets the variables, after the key
// step (which may write the vault) and before Nx hashes any task; Nx documents that environment
// changes made there reach the hashing and the tasks. As runtime inputs, each was a node process
// that Nx started while hashing: six per run, about 0.4 s of a warm render.
//
// The vault's fingerprint decrypts nothing: the vault writes each document's slice digests (HMACs
// of their plaintext) to cluster/fingerprints.json with every write (projects/vault/src/
// slice-fingerprints.ts has the format), so another layer's write changes a layer's fingerprint
// only when it changes a slice that layer reads. A document whose entry does not match its file
// (written by hand with the age CLI, say) counts by its ciphertext instead: coarser, never stale.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The file alone, not the package: its index loads zod and the age library into every nx command.
import { FINGERPRINTS_FILE } from '../../../projects/vault/src/secrets-repo-layout';

const DOCUMENTS = ['state', 'vars', 'tokens'];

/** The variable a layer's render, check and plan hash for its part of the vault. */
export function vaultFingerprintEnv(layer: string): string {
  return `CLOUD_VAULT_FINGERPRINT_${layer.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The variable cluster's render and check hash for the config file CLOUD_CONFIG names. */
export const CONFIG_FINGERPRINT_ENV = 'CLOUD_CONFIG_FINGERPRINT';

interface RecordedDocument {
  ciphertext?: string;
  slices?: Record<string, string>;
}

/** A digest of every slice of the vault in `secretsDir` but those in `except`. */
export function vaultFingerprint(secretsDir: string, except: readonly string[] = []): string {
  let recorded: Record<string, RecordedDocument> = {};
  try {
    const file = JSON.parse(readFileSync(join(secretsDir, FINGERPRINTS_FILE), 'utf8'));
    if (file.version === 1 && file.documents) recorded = file.documents;
  } catch {
    // No file yet, or a damaged one: every document counts by its ciphertext.
  }
  const left = new Set(except);
  const hash = createHash('sha256');
  for (const doc of DOCUMENTS) {
    let ciphertext: Buffer;
    try {
      ciphertext = readFileSync(join(secretsDir, 'cluster', `${doc}.json.age`));
    } catch {
      hash.update(`${doc}\0absent\n`);
      continue;
    }
    const digest = createHash('sha256').update(ciphertext).digest('hex');
    const entry = recorded[doc];
    if (entry?.ciphertext !== digest || typeof entry.slices !== 'object') {
      hash.update(`${doc}\0ciphertext\0${digest}\n`);
      continue;
    }
    hash.update(`${doc}\0slices\n`);
    for (const slice of Object.keys(entry.slices).sort())
      if (!left.has(slice)) hash.update(`${slice}\0${entry.slices[slice]}\n`);
  }
  return hash.digest('hex');
}

/** A digest of the config file CLOUD_CONFIG names (the `clusterConfig` file input covers only the workspace's own). */
export function configFingerprint(workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = env.CLOUD_CONFIG;
  let content = 'default';
  if (file) {
    try {
      content = readFileSync(resolve(workspaceRoot, file), 'utf8');
    } catch {
      content = 'absent';
    }
  }
  return createHash('sha256')
    .update(`${file ?? ''}\0${content}`)
    .digest('hex');
}
