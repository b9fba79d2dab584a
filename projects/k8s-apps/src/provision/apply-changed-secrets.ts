// The fingerprint rule, for provision and restore alike: a Secret is applied only when the
// fingerprint recorded with it in the cluster differs from its data's, so a rerun sends nothing.
import type { ClusterApi, SecretToApply } from '../cluster/cluster-api';

/** Applies the Secrets whose data changed; returns them. */
export async function applyChangedSecrets(
  api: ClusterApi,
  secrets: readonly SecretToApply[],
): Promise<SecretToApply[]> {
  const applied = await api.secretFingerprints();
  const changed = secrets.filter((s) => applied.get(`${s.namespace}/${s.name}`) !== s.fingerprint);
  for (const secret of changed) await api.applySecret(secret);
  return changed;
}
