// The builder container: its image (Containerfile and two scripts), the config files mounted into
// it, and the exact `podman run` command line its unit runs. No key and no vault value is in the
// image: keys come from a folder on Oxygen, mounted read-only at run time.
import { CloudError, type LayerConfig } from '@personal-cloud/cluster';
import type { BuilderFacts } from './builder-facts';
import { BUILDER, NIXOS_CACHE, PUSH } from './builder-settings';

type BuilderConfig = NonNullable<LayerConfig<'builder'>['oxygen']>['builder'];

export const HOST_KEY_IN_CONTAINER = `${BUILDER.keysMount}/ssh_host_ed25519_key`;
const SCRIPTS = '/usr/local/bin';
/** The health check podman runs in the container, in the unit and in Oxygen's NixOS module alike. */
export const HEALTH_CMD = `${SCRIPTS}/healthcheck.sh`;
/** OpenSSH's store path, linked (and so kept from garbage collection) outside the profile the image's Nix owns. */
const OPENSSH = '/opt/openssh';
/** attic's client for the push loop (PUSH.attic is its binary). */
const ATTIC = PUSH.attic.replace(/\/bin\/attic$/, '');

/** The image: Nix's official image, OpenSSH from the hosts' pinned nixpkgs, the build user and sshd's own user. */
export function containerfile(nixpkgs: string): string {
  return `# personal-cloud's Nix builder: nix-daemon and sshd. Built on Oxygen with
#   podman build --tag ${BUILDER.image} .
# It holds no key and no configuration: both are mounted when it runs (see ${BUILDER.unit}).
FROM ${BUILDER.baseImage}
RUN nix --extra-experimental-features 'nix-command flakes' build --out-link ${OPENSSH} '${nixpkgs}#openssh' \\
 && nix --extra-experimental-features 'nix-command flakes' build --out-link ${ATTIC} '${nixpkgs}#attic-client' \\
 && ln -s /nix/var/nix/profiles/default/bin/nix-daemon /nix/var/nix/profiles/default/bin/nix-store /usr/bin/ \\
 && echo '${BUILDER.user}:x:${BUILDER.uid}:${BUILDER.uid}:personal-cloud builds:/var/empty:/bin/sh' >> /etc/passwd \\
 && echo '${BUILDER.user}:x:${BUILDER.uid}:' >> /etc/group \\
 && echo 'sshd:x:74:74:sshd privilege separation:/var/empty:/bin/false' >> /etc/passwd \\
 && echo 'sshd:x:74:' >> /etc/group \\
 && mkdir -p /var/empty /run/sshd /etc/ssh/authorized_keys
COPY entrypoint.sh healthcheck.sh ${SCRIPTS}/
ENTRYPOINT ["${SCRIPTS}/entrypoint.sh"]
`;
}

/** Two processes, and the container ends when either does, so its unit (or Kubernetes) restarts both. */
export const ENTRYPOINT_SH = `#!/usr/bin/env bash
# nix-daemon and sshd, the builder's two processes. When either ends, the container ends with its
# status, and whatever runs the container starts it again.
set -euo pipefail
/nix/var/nix/profiles/default/bin/nix-daemon &
${OPENSSH}/bin/sshd -D -e -f /etc/ssh/sshd_config &
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT TERM INT
wait -n
`;

/** Healthy when the daemon answers and sshd runs. */
export const HEALTHCHECK_SH = `#!/usr/bin/env bash
set -euo pipefail
nix --extra-experimental-features nix-command store ping --store daemon >/dev/null
kill -0 "$(cat /run/sshd.pid)"
`;

export function sshdConfig(facts: BuilderFacts): string {
  return `# The builder's sshd: on Oxygen's Tailscale address only, one user, keys only.
Port ${BUILDER.sshPort}
ListenAddress ${facts.oxygenTailscaleIp}
HostKey ${HOST_KEY_IN_CONTAINER}
PidFile /run/sshd.pid
AuthorizedKeysFile /etc/ssh/authorized_keys/%u
AllowUsers ${BUILDER.user}
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
PermitTTY no
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
`;
}

/** The build user's only key: the builder client key, which may run commands and nothing else. */
export function authorizedKeys(facts: BuilderFacts): string {
  return `restrict ${facts.clientPublicKey}\n`;
}

export function containerNixConf(builder: BuilderConfig, facts: BuilderFacts, cacheUrl: string): string {
  return `# nix-daemon inside the builder container.
build-users-group = nixbld
trusted-users = root ${BUILDER.user}
sandbox = true
max-jobs = ${builder.maxJobs}
cores = ${Math.max(1, Math.floor(builder.cpus / builder.maxJobs))}
system-features = ${builder.features.join(' ')}
experimental-features = nix-command flakes
substituters = ${cacheUrl} ${NIXOS_CACHE.url}
trusted-public-keys = ${facts.cachePublicKey} ${NIXOS_CACHE.publicKey}
fallback = true
`;
}

/** Files on Oxygen the container mounts read-only: host path → path inside. */
export function containerMounts(): [string, string][] {
  return [
    [BUILDER.keysDir, BUILDER.keysMount],
    [`${BUILDER.configDir}/sshd_config`, '/etc/ssh/sshd_config'],
    [`${BUILDER.configDir}/nix.conf`, '/etc/nix/nix.conf'],
    [`${BUILDER.configDir}/authorized_keys`, `/etc/ssh/authorized_keys/${BUILDER.user}`],
  ];
}

/**
 * `podman run` as its systemd unit runs it (the shape `podman generate systemd --new` makes):
 * privileged, because Nix's sandbox needs namespaces and mounts; the host's network, because
 * sshd listens on Oxygen's Tailscale address; /nix on the named volume; the config's limits.
 */
export function podmanRunArgs(builder: BuilderConfig): string[] {
  const args = [
    'run',
    '--cidfile=%t/%n.ctr-id',
    '--cgroups=no-conmon',
    '--rm',
    '--sdnotify=conmon',
    '--replace',
    '--detach',
    `--name=${BUILDER.container}`,
    '--privileged',
    '--network=host',
    `--cpus=${builder.cpus}`,
    `--memory=${builder.memoryGb}g`,
    `--volume=${BUILDER.nixVolume}:/nix`,
    ...containerMounts().map(([from, to]) => `--volume=${from}:${to}:ro`),
    `--health-cmd=${HEALTH_CMD}`,
    '--health-interval=30s',
    '--health-retries=3',
    '--health-start-period=60s',
    // An unhealthy builder is stopped, and its unit's Restart= starts a fresh one.
    '--health-on-failure=kill',
    BUILDER.image,
  ];
  const spaced = args.find((a) => /\s/.test(a));
  if (spaced)
    throw new CloudError(
      `the builder's podman argument "${spaced}" contains a space, which its unit's ExecStart would split.`,
    );
  return args;
}
