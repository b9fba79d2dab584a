// Prints a fingerprint of what a layer may read from the vault, for Nx to hash as a runtime input:
// `node tools/nx-plugin/src/vault-fingerprint.mjs [--except=<slice>,…]`, the slices left out being
// what the layers built on this one write (a layer never reads those).
//
// Plain JavaScript on purpose: Nx runs it while hashing every task, so it must start fast. It
// decrypts nothing: the vault writes each document's slice digests (HMACs of their plaintext) to
// cluster/fingerprints.json with every write (projects/vault/src/slice-fingerprints.ts has the
// format), so another layer's write changes this fingerprint only when it changes a slice this
// layer reads. A document whose entry does not match its file (written by hand with the age CLI,
// say) counts by its ciphertext instead: coarser, never stale.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DOCUMENTS = ['state', 'vars', 'tokens'];
const dir = resolve(process.env.CLOUD_SECRETS_DIR || '.secrets');
const except = new Set(
  process.argv
    .slice(2)
    .filter((arg) => arg.startsWith('--except='))
    .flatMap((arg) => arg.slice('--except='.length).split(','))
    .filter(Boolean),
);

let recorded = {};
try {
  const file = JSON.parse(readFileSync(join(dir, 'cluster', 'fingerprints.json'), 'utf8'));
  if (file.version === 1 && file.documents) recorded = file.documents;
} catch {
  // No file yet, or a damaged one: every document counts by its ciphertext.
}

const hash = createHash('sha256');
for (const doc of DOCUMENTS) {
  let ciphertext;
  try {
    ciphertext = readFileSync(join(dir, 'cluster', `${doc}.json.age`));
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
    if (!except.has(slice)) hash.update(`${slice}\0${entry.slices[slice]}\n`);
}
console.log(hash.digest('hex'));
