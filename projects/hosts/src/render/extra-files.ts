// The secret files nixos-anywhere delivers to a node (--extra-files). Their paths are written
// here once: the NixOS modules receive them through hosts.json, and only their names ever leave
// the vault, never their contents.
import { HOST_BUILDER_CLIENT_KEY } from '@personal-cloud/builder';

const SECRETS = '/var/lib/personal-cloud/secrets';

export const SECRET_FILES = {
  /** The host's own SSH key, generated once, so a reinstalled node keeps its identity. */
  hostKey: '/etc/ssh/ssh_host_ed25519_key',
  k3sToken: `${SECRETS}/k3s-token`,
  tailscaleAuthKey: `${SECRETS}/tailscale-auth-key`,
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for k3s's etcd snapshots to the cold tier. */
  etcdS3Credentials: `${SECRETS}/etcd-s3.env`,
  /** The node's nix-daemon logs in to Oxygen's builder with it: hosts.json's build machines name it (sshKey). */
  builderClientKey: HOST_BUILDER_CLIENT_KEY,
} as const;

export interface ExtraFileNeeds {
  tailscale: boolean;
  etcdS3: boolean;
  /** The node builds on Oxygen (hosts.json lists build machines). */
  builderClientKey: boolean;
}

/** The files one node gets, as paths relative to its root (the layout --extra-files copies). */
export function extraFilesFor(needs: ExtraFileNeeds): string[] {
  const files: string[] = [SECRET_FILES.hostKey, SECRET_FILES.k3sToken];
  if (needs.tailscale) files.push(SECRET_FILES.tailscaleAuthKey);
  if (needs.etcdS3) files.push(SECRET_FILES.etcdS3Credentials);
  if (needs.builderClientKey) files.push(SECRET_FILES.builderClientKey);
  return files.map((file) => file.slice(1));
}
