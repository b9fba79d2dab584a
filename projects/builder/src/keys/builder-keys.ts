// The keys the builder layer needs, for the one key step that generates every key into the vault
// before any layer renders (#4, extended by #8). Each is made once and then only read: a run
// that finds it in the vault keeps it, so the hosts' known builder host key and the cache key
// they trust stay valid across runs. The private half goes to tokens.<token>, and reaches a
// machine only as a file; the public half goes to vars.<publicVar>, which render reads.

export type GeneratedKeyKind =
  /** An OpenSSH ed25519 key pair (`ssh-keygen -t ed25519`): private key in OpenSSH PEM, public key one line. */
  | 'ssh-ed25519'
  /** A Nix binary cache signing key (`nix key generate-secret`), see ./nix-signing-key.ts. */
  | 'nix-signing-key';

export interface GeneratedKey {
  kind: GeneratedKeyKind;
  /** tokens.<token>: the private half. */
  token: string;
  /** vars.<publicVar>: the public half (an OpenSSH public key line, or a Nix `name:base64` public key). */
  publicVar: string;
  /** The SSH key's comment, or the Nix key's name (the name `trusted-public-keys` shows). */
  name: string;
  /** What the key is for, in one line. */
  purpose: string;
  /** Who gets the private half, and at which path as a file; null where it is handed over through an API instead. */
  privateFileOn: { machine: 'oxygen' | 'hosts' | 'operator' | 'cache'; path: string | null }[];
}

/** Where the builder's secrets sit on Oxygen: outside the image and the store, mounted read-only into the container. */
export const OXYGEN_KEYS_DIR = '/var/lib/personal-cloud/builder/keys';
/** Where a host's nix-daemon finds the builder client key (NixOS nix.buildMachines.*.sshKey). */
export const HOST_BUILDER_CLIENT_KEY = '/var/lib/personal-cloud/secrets/builder-client-key';
/** The builder client key's private half in the vault's tokens; the hosts' extra files carry it to HOST_BUILDER_CLIENT_KEY. */
export const BUILDER_CLIENT_KEY_TOKEN = 'BUILDER_CLIENT_KEY';
/** Where the operator's nix-daemon finds it: the machines file names this path. */
export const OPERATOR_BUILDER_CLIENT_KEY = '/etc/nix/personal-cloud-builder-key';

/**
 * attic's token-signing secret (k8s-apps' key step makes it, for the nix-cache app). Oxygen's push
 * token is signed with it at provision time (../provision/attic-push-token.ts), so nothing more
 * is stored, and rotating the secret revokes the token.
 */
export const ATTIC_TOKEN_SECRET = 'ATTIC_TOKEN_HS256_SECRET';

export interface BuilderKeys {
  sshHostKey: GeneratedKey;
  clientKey: GeneratedKey;
  cacheSigningKey: GeneratedKey;
}

/** The keys by what they are; Object.values gives the list the key step walks. The cache key's name carries the cluster's name. */
export function builderKeys(cluster: string): BuilderKeys {
  return {
    sshHostKey: {
      kind: 'ssh-ed25519',
      token: 'BUILDER_SSH_HOST_KEY',
      publicVar: 'BUILDER.ssh_host_public_key',
      name: `${cluster}-builder`,
      purpose: "the builder container's sshd host key; hosts and the operator pin its public half (publicHostKey)",
      privateFileOn: [{ machine: 'oxygen', path: `${OXYGEN_KEYS_DIR}/ssh_host_ed25519_key` }],
    },
    clientKey: {
      kind: 'ssh-ed25519',
      token: BUILDER_CLIENT_KEY_TOKEN,
      publicVar: 'BUILDER.client_public_key',
      name: `${cluster}-builder-client`,
      purpose:
        "the key hosts and the operator log in to the builder with; its public half is the build user's only authorized key",
      privateFileOn: [
        { machine: 'hosts', path: HOST_BUILDER_CLIENT_KEY },
        { machine: 'operator', path: OPERATOR_BUILDER_CLIENT_KEY },
      ],
    },
    cacheSigningKey: {
      kind: 'nix-signing-key',
      // k8s-apps' nix-cache app reads this token too: attic signs with it.
      token: 'ATTIC_SIGNING_KEY',
      publicVar: 'CACHE.public_key',
      name: `${cluster}-cache-1`,
      purpose: 'signs what the binary cache serves; every host, Oxygen and the operator trust only its public half',
      // attic takes its keypair through its API at provision time (see k8s-apps' nix-cache app).
      privateFileOn: [{ machine: 'cache', path: null }],
    },
  };
}
