// The plain-file variant's systemd units, for an Oxygen that does not run NixOS: the builder
// container under Podman, and the k3s agent tied to tailscaled.
import { BUILDER, OXYGEN_K3S, PUSH } from './builder-settings';

/** One unit file: sections in order, each a list of `Key=value` pairs (a key may repeat). */
export type UnitSections = [section: string, entries: [key: string, value: string][]][];

export function unitFile(comment: string, sections: UnitSections): string {
  const body = sections
    .map(([name, entries]) => [`[${name}]`, ...entries.map(([k, v]) => `${k}=${v}`)].join('\n'))
    .join('\n\n');
  return `${comment
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n')}\n${body}\n`;
}

export const PODMAN = '/usr/bin/podman';

export function builderUnit(podmanArgs: string[]): string {
  return unitFile(
    `The personal-cloud Nix builder: nix-daemon and sshd in one Podman container.\nsshd listens on Oxygen's Tailscale address, so the container starts after tailscaled.`,
    [
      [
        'Unit',
        [
          ['Description', 'personal-cloud Nix builder (Podman container)'],
          ['Wants', 'network-online.target'],
          ['After', 'network-online.target tailscaled.service'],
          ['Requires', 'tailscaled.service'],
        ],
      ],
      [
        'Service',
        [
          ['Environment', 'PODMAN_SYSTEMD_UNIT=%n'],
          ['Type', 'notify'],
          ['NotifyAccess', 'all'],
          ['Restart', 'always'],
          ['RestartSec', '10s'],
          ['TimeoutStartSec', '120'],
          ['TimeoutStopSec', '70'],
          ['ExecStart', [PODMAN, ...podmanArgs].join(' ')],
          ['ExecStop', `${PODMAN} stop --ignore --time=10 --cidfile=%t/%n.ctr-id`],
          ['ExecStopPost', `${PODMAN} rm --force --ignore --time=10 --cidfile=%t/%n.ctr-id`],
        ],
      ],
      ['Install', [['WantedBy', 'multi-user.target']]],
    ],
  );
}

/** `podman exec` of `attic watch-store <server>:<cache>` in the container: the unit's and the NixOS module's. */
export function pushExecArgs(cache: string): string[] {
  return [
    'exec',
    `--env=XDG_CONFIG_HOME=${PUSH.configHome}`,
    BUILDER.container,
    PUSH.attic,
    'watch-store',
    `${cache}:${cache}`,
  ];
}

/**
 * The push loop, a sibling of the builder's unit: it lives and dies with the container
 * (BindsTo=), and a cache that is down ends it, so it starts again after a pause; builds never
 * wait for it. The token is in attic's config on Oxygen (PUSH.configFile), never on a command line.
 */
export function pushUnit(cache: string): string {
  return unitFile(
    `The personal-cloud push loop: attic watch-store uploads what the builder's store gains to the cluster's cache.`,
    [
      [
        'Unit',
        [
          ['Description', 'personal-cloud Nix builder push loop (attic watch-store)'],
          ['After', BUILDER.unit],
          ['BindsTo', BUILDER.unit],
        ],
      ],
      [
        'Service',
        [
          ['ExecStart', [PODMAN, ...pushExecArgs(cache)].join(' ')],
          ['Restart', 'always'],
          ['RestartSec', '30s'],
        ],
      ],
      ['Install', [['WantedBy', BUILDER.unit]]],
    ],
  );
}

export function k3sAgentArgs(): string[] {
  return ['agent', `--config=${OXYGEN_K3S.configFile}`];
}

/**
 * k3s's own unit settings (those its installer writes), plus the tie to tailscaled: flannel's
 * routes run over tailscale0 and are gone when tailscaled restarts, until k3s restarts too.
 * PartOf= carries tailscaled's stop and restart to the agent.
 */
export function k3sAgentUnit(): string {
  return unitFile(`The personal-cloud k3s agent: Oxygen joins the cluster over Tailscale, never as a server.`, [
    [
      'Unit',
      [
        ['Description', 'personal-cloud k3s agent (Oxygen)'],
        ['Wants', 'network-online.target'],
        ['After', 'network-online.target tailscaled.service'],
        ['Requires', 'tailscaled.service'],
        ['PartOf', 'tailscaled.service'],
      ],
    ],
    [
      'Service',
      [
        ['Type', 'notify'],
        ['ExecStart', [OXYGEN_K3S.binary, ...k3sAgentArgs()].join(' ')],
        ['KillMode', 'process'],
        ['Delegate', 'yes'],
        ['LimitNOFILE', '1048576'],
        ['LimitNPROC', 'infinity'],
        ['LimitCORE', 'infinity'],
        ['TasksMax', 'infinity'],
        ['TimeoutStartSec', '0'],
        ['Restart', 'always'],
        ['RestartSec', '5s'],
      ],
    ],
    ['Install', [['WantedBy', 'multi-user.target tailscaled.service']]],
  ]);
}

export const UNIT_NAMES = { builder: BUILDER.unit, push: PUSH.unit, k3sAgent: OXYGEN_K3S.unit } as const;
