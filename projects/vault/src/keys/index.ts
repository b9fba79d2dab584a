// The one step that generates every key before any layer renders, and the key forms SSH reads.
export { ensureKeys, type EnsureKeysResult } from './ensure-keys';
export { collectKeySpecs, type LayerKeySpecs } from './collect-key-specs';
export { KEY_SPECS_FILE, openSshPrivateKey, randomSecret, type KeySpec, type KeySpecSource } from './key-spec';
export {
  generateOpenSshKeyPair,
  openSshPublicKeyOf,
  toOpenSshPrivateKey,
  type OpenSshKeyPair,
} from './openssh-ed25519';
