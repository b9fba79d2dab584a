// The keys the hosts layer needs in the vault's tokens, generated once by `vault:keys`: the k3s
// cluster token (never changes after bootstrap) and each node's SSH host key, so a reinstalled
// node keeps its identity and known_hosts stays true.
import { nodesInPhase, type LayerConfig } from '@personal-cloud/cluster';
import { K3S_TOKEN } from '@personal-cloud/layer-kit';
import { openSshPrivateKey, randomSecret, type KeySpec } from '@personal-cloud/vault';

/** `SSH_HOST_KEY_MASTER_1` for `master-1` (the node's vars key): its ed25519 host key, OpenSSH form. */
export const hostKeyToken = (node: string) => `SSH_HOST_KEY_${node.toUpperCase().replace(/-/g, '_')}`;

export function keySpecs(config: LayerConfig<'hosts'>): KeySpec[] {
  return [
    { token: K3S_TOKEN, purpose: 'k3s cluster token', generate: randomSecret(32) },
    ...nodesInPhase(config).map((node) => ({
      token: hostKeyToken(node.name),
      purpose: `SSH host key of ${node.name}`,
      generate: openSshPrivateKey(`root@${node.hetznerName}`),
    })),
  ];
}
