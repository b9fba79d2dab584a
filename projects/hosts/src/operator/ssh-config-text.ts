// `Host` entries for every node, ready to paste into ~/.ssh/config or to `Include`: the node's
// Tailscale name as HostName, root, the operator's key, and its host key from the vault through a
// per-cluster known_hosts file, matched by HostKeyAlias so the entry holds whatever address the
// name resolves to. Pure.

export interface SshConfigNode {
  name: string;
  /** The node's Tailscale name (also its alias and host key alias). */
  tailscaleName: string;
  /** Its host public key (`ssh-ed25519 AAAA…`), or null when the vault has none yet. */
  hostPublicKey: string | null;
}

export interface SshConfigInput {
  cluster: string;
  phase: number;
  nodes: readonly SshConfigNode[];
  knownHostsPath: string;
  identityFile: string;
  /** The operator's public key, shown so the operator can check the identity file is its private half. */
  operatorPublicKey: string | null;
}

export function sshConfigText(input: SshConfigInput): string {
  const lines = [
    `# Cluster ${input.cluster}: the nodes of phase ${input.phase}, over Tailscale. Paste into ~/.ssh/config, or save and \`Include\` it.`,
    `# Host keys from the vault: ${input.knownHostsPath}.`,
    ...(input.operatorPublicKey
      ? [`# ${input.identityFile} must be the private half of ${input.operatorPublicKey}`]
      : []),
  ];
  for (const node of input.nodes) {
    if (!node.hostPublicKey) {
      lines.push(`# ${node.name}: the vault has no host key for it yet (\`npx nx run vault:keys\` makes it)`);
      continue;
    }
    lines.push(
      '',
      `Host ${node.tailscaleName}`,
      `  HostName ${node.tailscaleName}`,
      '  User root',
      `  IdentityFile ${input.identityFile}`,
      '  IdentitiesOnly yes',
      `  HostKeyAlias ${node.tailscaleName}`,
      `  UserKnownHostsFile ${input.knownHostsPath}`,
      '  StrictHostKeyChecking yes',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The per-cluster known_hosts: one line per node with a host key, under its alias. */
export function knownHostsText(nodes: readonly SshConfigNode[]): string {
  return nodes
    .filter((n) => n.hostPublicKey)
    .map((n) => `${n.tailscaleName} ${n.hostPublicKey!.split(' ').slice(0, 2).join(' ')}\n`)
    .join('');
}
