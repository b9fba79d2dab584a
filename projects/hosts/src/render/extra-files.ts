// The secret files nixos-anywhere delivers to a node (--extra-files). Their paths are written
// here once: the NixOS modules receive them through hosts.json, and only their names ever leave
// the vault, never their contents.

const SECRETS = '/var/lib/personal-cloud/secrets';

export const SECRET_FILES = {
  /** The host's own SSH key, generated once, so a reinstalled node keeps its identity. */
  hostKey: '/etc/ssh/ssh_host_ed25519_key',
  k3sToken: `${SECRETS}/k3s-token`,
  tailscaleAuthKey: `${SECRETS}/tailscale-auth-key`,
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for k3s's etcd snapshots to the cold tier. */
  etcdS3Credentials: `${SECRETS}/etcd-s3.env`,
} as const;

export interface ExtraFileNeeds {
  tailscale: boolean;
  etcdS3: boolean;
}

/** The files one node gets, as paths relative to its root (the layout --extra-files copies). */
export function extraFilesFor(needs: ExtraFileNeeds): string[] {
  const files: string[] = [SECRET_FILES.hostKey, SECRET_FILES.k3sToken];
  if (needs.tailscale) files.push(SECRET_FILES.tailscaleAuthKey);
  if (needs.etcdS3) files.push(SECRET_FILES.etcdS3Credentials);
  return files.map((file) => file.slice(1));
}
