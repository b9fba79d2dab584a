import { loadIdentity, readIdentityText } from '../age-identity-file';
import { prepareSecretsRepo } from '../secrets-repo-setup';
import { secretsDirStatus } from '../secrets-repo-status';
import { VaultError } from '../vault-error';
import type { VaultOptions } from '../vault-options';

export interface InitOutcome {
  dir: string;
  identityPath: string;
  recipient: string;
  /** True when the identity was there already (CLOUD_AGE_IDENTITY, or one made with age-keygen). */
  adopted: boolean;
}

/**
 * `state init`: the one way to make a vault in the Hetzner world. Makes the identity (or adopts
 * the one at the identity path), then recipients.txt and the secrets repo; refuses to touch a
 * directory that already holds anything of a vault, or anything else.
 */
export async function initVault(options: VaultOptions): Promise<InitOutcome> {
  const status = await secretsDirStatus(options.dir);
  if (status.kind === 'repository') {
    throw new VaultError(
      `${options.dir} already holds a secrets repo; init refuses to overwrite anything, so use it as it is or point CLOUD_SECRETS_DIR at a new directory.`,
    );
  }
  if (status.kind === 'files-without-git') {
    throw new VaultError(
      `${options.dir} already holds vault files (${status.files.join(', ')}) without .git; init refuses to overwrite them, so restore their .git or run \`npm run state -- commit --init\`.`,
    );
  }
  if (status.kind === 'foreign') {
    throw new VaultError(
      `${options.dir} holds other files (${status.files.slice(0, 3).join(', ')}); init makes a secrets repo only in a new or empty directory, so point CLOUD_SECRETS_DIR at one.`,
    );
  }
  const adopted = (await readIdentityText(options.identityPath)) !== undefined;
  const keys = await loadIdentity(options.identityPath, { createMissing: true, log: () => undefined });
  const recipient = keys[0]!.recipient;
  await prepareSecretsRepo(options.dir, recipient, () => undefined);
  return { dir: options.dir, identityPath: options.identityPath, recipient, adopted };
}

/** What init tells the operator: where everything is, and that the identity needs a backup. */
export function describeInit(outcome: InitOutcome): string {
  const origin = outcome.adopted ? 'the one that was there, adopted' : 'new';
  return [
    `Created the secrets repo ${outcome.dir}, encrypted to ${outcome.recipient} (recipients.txt).`,
    `Your age identity (${origin}) is ${outcome.identityPath}; back it up somewhere safe now, since nothing in the secrets repo can be read without it.`,
    'Next: npm run state -- edit vars',
    '',
  ].join('\n');
}
