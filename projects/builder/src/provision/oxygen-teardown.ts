// What builder:destroy runs on Oxygen, in order: the units stopped and removed, the container and
// its image gone, the agent's files removed, the generation marker last (the executor's part). Every command tolerates
// what is already gone, so a teardown that stopped half way runs again. The /nix volume (the
// store) is kept unless the operator purges it. Pure.
import { OXYGEN_KEYS_DIR } from '../keys/builder-keys';
import { BUILDER, OXYGEN_K3S, PUSH } from '../render/builder-settings';

export interface OxygenTeardown {
  purgeStore: boolean;
  /** Run first, in order: the units stopped, the container, its image (and with purgeStore the volume) removed. */
  commands: string[];
  /** Then removed (rm -rf); the executor's root applies to them as to a deploy's files. */
  paths: string[];
  /** Then run: systemd forgets the removed units. The generation marker is removed last. */
  after: string[];
}

/** The units this layer puts on Oxygen, the push loop first (it is bound to the builder's). */
export const OXYGEN_UNITS = [PUSH.unit, BUILDER.unit, OXYGEN_K3S.unit] as const;

export function oxygenTeardown(purgeStore: boolean): OxygenTeardown {
  return {
    purgeStore,
    commands: [
      // disable --now of a unit that does not exist fails; each unit is stopped on its own.
      ...OXYGEN_UNITS.map((unit) => `systemctl disable --now ${unit} 2>/dev/null || true`),
      `podman rm --force --ignore ${BUILDER.container}`,
      `podman rmi --force --ignore ${BUILDER.image}`,
      ...(purgeStore
        ? [`if podman volume exists ${BUILDER.nixVolume}; then podman volume rm --force ${BUILDER.nixVolume}; fi`]
        : []),
    ],
    paths: [
      ...OXYGEN_UNITS.map((unit) => `/etc/systemd/system/${unit}`),
      OXYGEN_K3S.configFile,
      OXYGEN_K3S.tokenFile,
      OXYGEN_KEYS_DIR,
      BUILDER.configDir,
    ],
    after: ['systemctl daemon-reload'],
  };
}
