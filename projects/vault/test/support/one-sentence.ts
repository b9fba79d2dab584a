import { expect } from 'vitest';
import { CloudError } from '@personal-cloud/cluster';
import { VaultError } from '../../src/vault-error';

/** Awaits a rejection and checks it is the operator-facing kind: a VaultError of one sentence. */
export async function vaultFailure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'expected the call to fail with a VaultError').toBeInstanceOf(VaultError);
  expect(error).toBeInstanceOf(CloudError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toMatch(/\.$/);
  expect(message, 'one sentence: no full stop followed by a new sentence').not.toMatch(/\.\s+[A-Z]/);
  return message;
}
