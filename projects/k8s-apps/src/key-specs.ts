// The keys the k8s-apps layer generates once into the vault's tokens (through `vault:keys`): the
// GitOps repository's deploy key (Flux reads the repository with it and provision pushes with it;
// its public half is read back from it, for the git host's deploy keys), restic's repository
// password, attic's token-signing secret and the Ethereum clients' engine JWT. The tokens an
// operator enters (the CSI driver's Hetzner token, the S3 keys) and attic's signing key (the
// builder layer's) are not made here.
import type { LayerConfig } from '@personal-cloud/cluster';
import { openSshPrivateKey, randomSecret, type KeySpec } from '@personal-cloud/vault';

export const GITOPS_DEPLOY_KEY = 'GITOPS_DEPLOY_KEY';

export function keySpecs(config: LayerConfig<'k8s-apps'>): KeySpec[] {
  return [
    {
      token: GITOPS_DEPLOY_KEY,
      purpose: 'deploy key of the GitOps repository',
      generate: openSshPrivateKey(`flux@${config.name}`),
    },
    { token: 'RESTIC_PASSWORD', purpose: "password of the backups' restic repositories", generate: randomSecret(32) },
    // atticd reads it as base64; hex digits are base64 characters, and 64 bytes is what attic suggests.
    { token: 'ATTIC_TOKEN_HS256_SECRET', purpose: "attic's token-signing secret", generate: randomSecret(64) },
    // The engine API's JWT secret: 32 bytes, hex, as geth and Lighthouse read it.
    { token: 'ETH_ENGINE_JWT', purpose: 'Ethereum engine API JWT secret', generate: randomSecret(32) },
  ];
}
