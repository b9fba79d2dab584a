// The builder's keys for `vault:keys`, the one step that makes every key before any layer renders
// (found by this file's name; see projects/vault/src/keys). Here the cache signing key
// (./keys/builder-keys.ts): attic signs with it, so k8s-apps' nix-cache Secret needs it from the
// first provision, and the hosts trust its public half.
import type { ClusterConfig } from '@personal-cloud/cluster';
import type { KeySpec } from '@personal-cloud/vault';
import { builderKeys } from './keys/builder-keys';
import { generateNixSigningKey } from './keys/nix-signing-key';

export function keySpecs(config: ClusterConfig): KeySpec[] {
  if (!config.apps.some((app) => app.name === 'nix-cache')) return [];
  const key = builderKeys(config.name).cacheSigningKey;
  return [{ token: key.token, purpose: key.purpose, generate: () => generateNixSigningKey(key.name).secret }];
}
