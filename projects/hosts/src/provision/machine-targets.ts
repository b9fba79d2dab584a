// Where each rendered node is reached and what its deploy puts on it, from hosts.json and the
// vault's tokens (the host key's public half, so SSH trusts exactly that key).
import { CloudError } from '@personal-cloud/cluster';
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
