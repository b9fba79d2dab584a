// Where each rendered node is reached and what its deploy puts on it, from hosts.json and the
// vault's tokens (the host key's public half, so SSH trusts exactly that key).
import { CloudError, lookupVar, type VarsDocument } from '@personal-cloud/cluster';
import { openSshPublicKeyOf, type Tokens } from '@personal-cloud/vault';
import type { DeployStep, MachineTarget } from '../executor/machine-executor';
import { hostKeyToken } from '../key-specs';
import type { HostNode } from '../render/hosts-document';

export function machineTarget(node: HostNode, tokens: Tokens): MachineTarget {
  const hostKey = tokens[hostKeyToken(node.name)];
  if (!hostKey)
    throw new CloudError(
      `the vault's tokens lack ${hostKeyToken(node.name)}, ${node.name}'s SSH host key: run \`npx nx run vault:keys\` (every render runs it first).`,
    );
  return {
    node: node.name,
    serverId: Number(node.hetznerId),
    sshAddress: node.addresses.publicIpv4 ?? node.addresses.privateIpv4,
    nodeIp: node.addresses.privateIpv4,
    hostPublicKey: openSshPublicKeyOf(hostKey),
  };
}

export function deployStep(node: HostNode, generation: string): DeployStep {
  return {
    generation,
    role: node.k3s.role,
    version: node.k3s.version,
    bootstrap: node.k3s.bootstrap,
    serverAddr: node.k3s.serverAddr,
  };
}

/**
 * A node reached through what infra recorded for it and its host key, when the vault has them,
 * without hosts.json: a worker that left the config (until `--prune` deletes its server), or any
 * node hosts' destroy says goodbye to. Without an address or key, SSH cannot reach it.
 */
export function recordedTarget(
  node: string,
  vars: VarsDocument,
  tokens: Tokens,
  serverId: number | undefined,
): MachineTarget {
  // A node's vars key is its name in capitals (`worker-5` → WORKER_5), as `varsKey` makes it.
  const base = `CLUSTER.${node.toUpperCase().replace(/-/g, '_')}`;
  const hostKey = tokens[hostKeyToken(node)];
  return {
    node,
    serverId: serverId ?? Number(lookupVar(vars, `${base}.hetzner_id`) ?? 0),
    sshAddress: String(lookupVar(vars, `${base}.public_ipv4`) ?? ''),
    nodeIp: '',
    hostPublicKey: hostKey ? openSshPublicKeyOf(hostKey) : '',
  };
}
