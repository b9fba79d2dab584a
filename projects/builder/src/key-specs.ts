// The builder's keys for `vault:keys`, the one step that makes every key before any layer renders
// (found by this file's name; see projects/vault/src/keys). Each private half goes to the vault's
// tokens and its public half to the vars that render and the hosts read (./keys/builder-keys.ts),
// so the hosts pin the builder's host key and trust the cache's key from their first install.
import type { LayerConfig } from '@personal-cloud/cluster';
import { generateOpenSshKeyPair, openSshPublicKeyOf, type KeySpec } from '@personal-cloud/vault';
import { builderKeys, type GeneratedKey } from './keys/builder-keys';
import { generateNixSigningKey, nixPublicKeyOf } from './keys/nix-signing-key';
import { CACHE_APP } from './render/builder-settings';

export function keySpecs(config: LayerConfig<'builder'>): KeySpec[] {
  const keys = builderKeys(config.name);
  const builds = config.oxygen?.enabled === true && config.oxygen.roles.includes('builder');
  const caches = builds || config.apps.some((app) => app.name === CACHE_APP);
  return [
    ...(builds ? [keys.sshHostKey, keys.clientKey] : []),
    // attic signs with the cache key whether or not Oxygen builds: the hosts trust it either way.
    ...(caches ? [keys.cacheSigningKey] : []),
  ].map(keySpecOf);
}

function keySpecOf(key: GeneratedKey): KeySpec {
  const ssh = key.kind === 'ssh-ed25519';
  return {
    token: key.token,
    purpose: key.purpose,
    generate: ssh ? () => generateOpenSshKeyPair(key.name).privateKey : () => generateNixSigningKey(key.name).secret,
    publicHalf: { varPath: key.publicVar, of: ssh ? openSshPublicKeyOf : nixPublicKeyOf },
  };
}
