// The builder's fixed names and places, written once: the container files, the units, the
// operator's files and (later) the hosts' build machine entries all read them from here.
import { OXYGEN_KEYS_DIR } from '../keys/builder-keys';

export const BUILDER = {
  container: 'personal-cloud-builder',
  /** Built on Oxygen from the rendered Containerfile; the tag moves when the Containerfile does. */
  image: 'localhost/personal-cloud-builder:1',
  /** Nix's official image, pinned; the builder adds OpenSSH from the hosts' pinned nixpkgs. */
  baseImage: 'docker.io/nixos/nix:2.24.9',
  /** The named volume that holds /nix, so the store and its database survive restarts and image updates. */
  nixVolume: 'personal-cloud-builder-nix',
  /** The one login: key only, trusted by the container's nix-daemon. */
  user: 'nix-builder',
  uid: 1000,
  /** Oxygen's own sshd keeps port 22 (provision deploys over it); the builder's listens here. */
  sshPort: 2222,
  /** On Oxygen: the rendered sshd_config, nix.conf and authorized_keys, mounted read-only. */
  configDir: '/etc/personal-cloud/builder',
  keysDir: OXYGEN_KEYS_DIR,
  /** Where the keys folder appears inside the container. */
  keysMount: '/run/builder-keys',
  unit: 'personal-cloud-builder.service',
} as const;

/**
 * The push loop: `attic watch-store`, a sibling unit of the builder's (never a post-build-hook,
 * which would hold every build until its upload ends). It runs in the builder container through
 * `podman exec`, because the store it watches is the container's /nix, not Oxygen's.
 */
export const PUSH = {
  unit: 'personal-cloud-builder-push.service',
  /** attic's client, built into the image from the hosts' pinned nixpkgs. */
  attic: '/opt/attic/bin/attic',
  /** On Oxygen: attic's client config holding the push token; provision writes it from the vault, mode 0600. */
  configFile: `${OXYGEN_KEYS_DIR}/attic/config.toml`,
  /** attic reads $XDG_CONFIG_HOME/attic/config.toml; in the container that is the keys folder's mount. */
  configHome: BUILDER.keysMount,
} as const;

/** The ssh alias hosts and the operator build through: it carries the port, which Nix's machine URIs cannot. */
export function builderAlias(oxygenHostname: string): string {
  return `${oxygenHostname}-builder`;
}

/** The app whose attic serves the cluster's binary cache (k8s-apps keys its app modules by this name). */
export const CACHE_APP = 'nix-cache';

/** What Oxygen's k3s agent and its unit use. */
export const OXYGEN_K3S = {
  configFile: '/etc/rancher/k3s/config.yaml',
  tokenFile: '/var/lib/personal-cloud/secrets/k3s-token',
  /** Flannel's VXLAN runs over Tailscale: 1280 bytes, less VXLAN's 50, leaves pods 1230. */
  flannelIface: 'tailscale0',
  unit: 'personal-cloud-k3s-agent.service',
  binary: '/usr/local/bin/k3s',
} as const;

/** The tailnet's addresses (Tailscale's CGNAT range), tailscale0's MTU, and what VXLAN takes of it. */
export const TAILNET = { cidr: '100.64.0.0/10', mtu: 1280, vxlanOverhead: 50 } as const;

/** cache.nixos.org's public key: the builder and the operator substitute from it after the cluster's cache. */
export const NIXOS_CACHE = {
  url: 'https://cache.nixos.org',
  publicKey: 'cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFNpzY+8=',
} as const;
