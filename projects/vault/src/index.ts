// The vault: age-encrypted JSON documents (state, vars, tokens) in the secrets repo, with an
// exclusive writer lock, atomic writes that keep the previous version, and a git commit per change.
export { openVault, type Vault, type VaultSession } from './vault';
export { vaultOptionsFromEnv, type VaultOptions } from './vault-options';
export {
  DOC_NAMES,
  docSchemas,
  documentPath,
  emptyDocument,
  isDocName,
  stateSchema,
  tokensSchema,
  varsSchema,
  type DocName,
  type Docs,
  type State,
  type Tokens,
  type Vars,
  type VarsLeaf,
} from './documents';
export { VaultError } from './vault-error';
export { replaceFileAtomically } from './atomic-file-write';
export { expiryTokenOf, parseExpiry, EXPIRY_FORMAT_MESSAGE } from './token-expiry';
export { findLeaks, MIN_SECRET_LENGTH, secretNeedles, type Leak, type ScannedFile } from './token-leaks';
// Every file that holds a secret during a run goes in one of these: private, in memory where the
// system allows, removed on exit and on signals, swept after a SIGKILL.
export {
  createSecureTempDir,
  secureTempPlaces,
  sweepLeftoverTempDirs,
  withSecureTempDir,
  type SecureTempDir,
  type SecureTempPlaces,
} from './secure-temp-dir';
export { onExitOrSignal } from './exit-cleanup';
// The operator workflows behind scripts/state.ts.
export { runStateCommand, STATE_USAGE, type StateCommandIo } from './operator/state-command';
// Keys and tokens that layers need generated once (vault:keys), and OpenSSH key forms.
export * from './keys/index';
