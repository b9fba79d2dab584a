import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface VaultOptions {
  /** The secrets repo (absolute path). */
  dir: string;
  /** The age identity file. */
  identityPath: string;
  /** True in the local sandbox world: a missing vault is created on first use (and its identity, when that is missing too). */
  createOnFirstUse: boolean;
  /** Warnings such as a stale-lock takeover; default console.error. */
  log?: (line: string) => void;
}

/**
 * Where the vault is, from the environment: CLOUD_SECRETS_DIR (default ./.secrets) and
 * CLOUD_AGE_IDENTITY (default $XDG_CONFIG_HOME/personal-cloud/age-identity.txt). Only the
 * sandbox world creates a vault on first use; against Hetzner that takes `npm run state -- init`,
 * so a mistyped CLOUD_SECRETS_DIR is reported instead of becoming an empty vault.
 */
export function vaultOptionsFromEnv(env: NodeJS.ProcessEnv, world: { sandbox: boolean }): VaultOptions {
  const configHome =
    env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : join(env.HOME || homedir(), '.config');
  return {
    dir: resolve(process.cwd(), env.CLOUD_SECRETS_DIR || './.secrets'),
    identityPath: resolve(
      process.cwd(),
      env.CLOUD_AGE_IDENTITY || join(configHome, 'personal-cloud', 'age-identity.txt'),
    ),
    createOnFirstUse: world.sandbox,
  };
}
