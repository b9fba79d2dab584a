// The handover of the builder container between its unit and Kubernetes, both ways, as planned
// steps (`oxygen.builder.managedBy`). To Kubernetes: the image is imported into k3s's containerd
// (it was built by podman and is never pulled), the unit and its push loop are stopped and
// disabled, then the Secret and the workload are applied. Back: the workload is deleted, then the
// units are enabled and started. The store (/nix's volume) is the same on both sides. Pure.
import { BUILDER, PUSH } from '../render/builder-settings';
import { BUILDER_WORKLOAD, WORKLOAD_SECRET_ITEMS } from '../render/builder-workload';
import { HOST_KEY_IN_CONTAINER } from '../render/container-files';
import type { OxygenFile } from './oxygen-deployment';

export type HandoverDirection = 'kubernetes' | 'unit';

export interface OxygenHandover {
  to: HandoverDirection;
  /** On Oxygen, before the cluster side (to Kubernetes) or after it (back to the unit). */
  onOxygen: string[];
  /** The rendered workload (dist/builder/render/kubernetes/builder-workload.yaml). */
  workload: string;
  /** The Secret the workload mounts, made from the deployment's key files; applied, never written to dist/. */
  secret: { namespace: string; name: string; data: Record<string, string> };
}

export function oxygenHandover(to: HandoverDirection, workload: string, files: readonly OxygenFile[]): OxygenHandover {
  const data: Record<string, string> = {};
  for (const item of WORKLOAD_SECRET_ITEMS) {
    const onOxygen =
      item.key === 'ssh_host_ed25519_key'
        ? `${BUILDER.keysDir}/${HOST_KEY_IN_CONTAINER.split('/').pop()}`
        : `${BUILDER.keysDir}/${item.path}`;
    const file = files.find((f) => f.path === onOxygen);
    if (file) data[item.key] = Buffer.from(file.content).toString('base64');
  }
  const units = `${PUSH.unit} ${BUILDER.unit}`;
  return {
    to,
    onOxygen:
      to === 'kubernetes'
        ? [
            // k3s from PATH: /usr/local/bin on the plain-file path, the system profile on NixOS; a failed save fails the step.
            `set -o pipefail; podman save ${BUILDER.image} | k3s ctr images import -`,
            `systemctl disable --now ${units}`,
          ]
        : [`systemctl enable --now ${BUILDER.unit} ${PUSH.unit}`],
    workload,
    secret: { namespace: BUILDER_WORKLOAD.namespace, name: BUILDER_WORKLOAD.secret, data },
  };
}
