// Prints a fingerprint of the named vault documents for Nx to hash as a runtime input.
// Plain JavaScript on purpose: Nx runs it while hashing every task, so it must start fast.
// It hashes ciphertext, never plaintext; the layout (<dir>/cluster/<doc>.json.age) is the vault's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.env.CLOUD_SECRETS_DIR || '.secrets');
const hash = createHash('sha256');
for (const doc of process.argv.slice(2)) {
  hash.update(`${doc}\0`);
  try {
    hash.update(readFileSync(join(dir, 'cluster', `${doc}.json.age`)));
  } catch {
    hash.update('absent');
  }
}
console.log(hash.digest('hex'));
