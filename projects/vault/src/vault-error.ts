import { CloudError } from '@personal-cloud/cluster';

/**
 * An error in the secrets repo the operator can act on: one sentence naming the file or field
 * and what to do. Whenever a VaultError is thrown, no document has been changed.
 */
export class VaultError extends CloudError {
  override name = 'VaultError';
}
