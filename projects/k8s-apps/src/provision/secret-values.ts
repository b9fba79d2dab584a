// The runtime Secrets with their values, from the vault's tokens, in memory only. A missing token
// is named, with how to set it, before anything is created.
import { createHash } from 'node:crypto';
import { CloudError } from '@personal-cloud/cluster';
import { openSshPublicKeyOf } from '@personal-cloud/vault';
import type { SecretToApply, WorldGitopsRemote } from '../cluster/cluster-api';
import type { RuntimeSecret, SecretSource } from '../render/runtime-secrets';

export function secretValues(
  secrets: readonly RuntimeSecret[],
  tokens: Readonly<Record<string, string>>,
  remote: Pick<WorldGitopsRemote, 'knownHosts'>,
): SecretToApply[] {
  const missing = new Set<string>();
  const resolve = (source: SecretSource): string => {
    if ('value' in source) return source.value;
    if ('remote' in source) return remote.knownHosts;
    const token = 'token' in source ? source.token : source.publicKeyOf;
    const value = tokens[token];
    if (value === undefined) {
      missing.add(token);
      return '';
    }
    return 'publicKeyOf' in source ? `${openSshPublicKeyOf(value)}\n` : value;
  };
  const resolved = secrets.map((secret) => {
    const data = Object.fromEntries(Object.entries(secret.keys).map(([key, source]) => [key, resolve(source)]));
    return { namespace: secret.namespace, name: secret.name, data, fingerprint: fingerprintOf(data) };
  });
  if (missing.size)
    throw new CloudError(
      `the vault's tokens lack ${[...missing].sort().join(', ')}, which the runtime Secrets need; generated keys come from \`npx nx run vault:keys\`, the others are entered with \`npm run state -- edit tokens\`. Nothing was created.`,
    );
  return resolved;
}

/** A hash of a Secret's data (keys sorted), recorded with it so a rerun can skip it; every value hashed is a generated key or an API credential. */
export function fingerprintOf(data: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(data)
    .sort()
    .map((key) => [key, data[key]]);
  return `sha256:${createHash('sha256').update(JSON.stringify(sorted)).digest('hex')}`;
}
