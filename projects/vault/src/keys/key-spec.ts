// A key or token that some layer needs to exist, once, in the vault's tokens before anything
// renders. Each layer lists its own in `projects/<layer>/src/key-specs.ts` (exporting
// `keySpecs`); one step, `vault:keys`, gathers them all and generates what is missing. The specs
// are found by that file name rather than imported here, so the vault depends on no layer.
import { randomBytes } from 'node:crypto';
import type { ClusterConfig } from '@personal-cloud/cluster';
import { generateOpenSshKeyPair } from './openssh-ed25519';

export interface KeySpec {
  /** Its name in the vault's tokens, e.g. `K3S_TOKEN`, `SSH_HOST_KEY_MASTER_1`. */
  token: string;
  /** What it is for, in a few words; printed when it is generated. */
  purpose: string;
  /** Makes a new value. Called only when the token is missing. */
  generate(): string;
  /**
   * Where the public half goes, for a key pair whose public half renders read (a pinned host key, a
   * cache's trusted key): vars.<path>, derived from the token, so the two can never disagree.
   */
  publicHalf?: { varPath: string; of(privateValue: string): string };
}

/** What a layer's `key-specs.ts` exports as `keySpecs`: its keys for the configured cluster. */
export type KeySpecSource = (config: ClusterConfig) => KeySpec[];

/** The file, relative to a project's root, where a layer lists its keys. */
export const KEY_SPECS_FILE = 'src/key-specs.ts';

/** A random secret of `bytes` bytes, hex-encoded (k3s tokens, shared secrets). */
export function randomSecret(bytes = 32): () => string {
  return () => randomBytes(bytes).toString('hex');
}

/** An ed25519 private key in OpenSSH form (the public key is read back from it). */
export function openSshPrivateKey(comment: string): () => string {
  return () => generateOpenSshKeyPair(comment).privateKey;
}
