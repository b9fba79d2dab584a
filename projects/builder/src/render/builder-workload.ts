// The builder as a Kubernetes workload, for `oxygen.builder.managedBy: 'kubernetes'`: the same
// image and the same /nix as under its unit, as a Deployment of one pod pinned to Oxygen (node
// selector on its hostname, a toleration of each of its taints), privileged for Nix's sandbox, on
// the host's network so sshd keeps Oxygen's Tailscale address and port. /nix is the podman
// volume's folder as a hostPath, so the store is the one the unit used; the host key and attic's
// client config come from one Secret, which provision makes from the vault at the handover (never
// rendered here). The push loop is a second container of the pod. Rendered with kubernetes-models.
import { Deployment } from 'kubernetes-models/apps/v1';
import { Namespace } from 'kubernetes-models/v1';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { stringify } from 'yaml';
import type { LayerConfig } from '@personal-cloud/cluster';
import { BUILDER, PUSH } from './builder-settings';
import { containerMounts, HEALTH_CMD, HOST_KEY_IN_CONTAINER } from './container-files';

export const BUILDER_WORKLOAD = {
  file: 'kubernetes/builder-workload.yaml',
  namespace: 'personal-cloud-builder',
  name: 'nix-builder',
  /** Holds the builder's SSH host key and attic's client config (the push token). */
  secret: 'nix-builder-keys',
  /** Where podman keeps the named volume's contents: the workload mounts the same store. */
  storeHostPath: `/var/lib/containers/storage/volumes/${BUILDER.nixVolume}/_data`,
} as const;

/** The Secret's keys, and where each appears under the keys mount. */
export const WORKLOAD_SECRET_ITEMS = [
  { key: 'ssh_host_ed25519_key', path: HOST_KEY_IN_CONTAINER.slice(BUILDER.keysMount.length + 1), mode: 0o600 },
  { key: 'attic-config.toml', path: PUSH.configFile.slice(BUILDER.keysDir.length + 1), mode: 0o600 },
] as const;

type Oxygen = NonNullable<LayerConfig<'builder'>['oxygen']>;

/** `key=value:Effect` or `key:Effect` → a toleration of exactly that taint. */
function toleration(taint: string): IToleration {
  const [keyValue, effect] = taint.split(':') as [string, IToleration['effect']];
  const [key, value] = keyValue.split('=') as [string, string | undefined];
  return value === undefined ? { key, operator: 'Exists', effect } : { key, operator: 'Equal', value, effect };
}

export function builderWorkloadObjects(oxygen: Oxygen, cache: string): unknown[] {
  const keys = containerMounts().find(([from]) => from === BUILDER.keysDir)!;
  const files = containerMounts().filter(([from]) => from !== BUILDER.keysDir);
  const volumes: IVolume[] = [
    { name: 'nix', hostPath: { path: BUILDER_WORKLOAD.storeHostPath, type: 'Directory' as const } },
    {
      name: 'keys',
      secret: {
        secretName: BUILDER_WORKLOAD.secret,
        items: WORKLOAD_SECRET_ITEMS.map(({ key, path, mode }) => ({ key, path, mode })),
      },
    },
    ...files.map(([from], i) => ({ name: `config-${i}`, hostPath: { path: from, type: 'File' as const } })),
  ];
  const mounts = [
    { name: 'nix', mountPath: '/nix' },
    { name: 'keys', mountPath: keys[1], readOnly: true },
    ...files.map(([, to], i) => ({ name: `config-${i}`, mountPath: to, readOnly: true })),
  ];
  const resources = {
    limits: { cpu: String(oxygen.builder.cpus), memory: `${oxygen.builder.memoryGb}Gi` },
    requests: { cpu: '100m', memory: '256Mi' },
  };
  const labels = { 'app.kubernetes.io/name': BUILDER_WORKLOAD.name, 'app.kubernetes.io/part-of': 'personal-cloud' };
  return [
    new Namespace({ metadata: { name: BUILDER_WORKLOAD.namespace } }).toJSON(),
    new Deployment({
      metadata: { name: BUILDER_WORKLOAD.name, namespace: BUILDER_WORKLOAD.namespace, labels },
      spec: {
        replicas: 1,
        // One store, one writer: the old pod ends before the new one starts.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector: { 'kubernetes.io/hostname': oxygen.hostname },
            tolerations: oxygen.taints.map(toleration),
            hostNetwork: true,
            dnsPolicy: 'ClusterFirstWithHostNet',
            containers: [
              {
                name: 'builder',
                image: BUILDER.image,
                // Built on Oxygen and imported into k3s's containerd at the handover; never pulled.
                imagePullPolicy: 'Never',
                securityContext: { privileged: true },
                resources,
                volumeMounts: mounts,
                livenessProbe: {
                  exec: { command: [HEALTH_CMD] },
                  initialDelaySeconds: 60,
                  periodSeconds: 30,
                  failureThreshold: 3,
                },
              },
              {
                name: 'push',
                image: BUILDER.image,
                imagePullPolicy: 'Never',
                command: [PUSH.attic, 'watch-store', `${cache}:${cache}`],
                env: [{ name: 'XDG_CONFIG_HOME', value: PUSH.configHome }],
                volumeMounts: mounts.filter((m) => m.name === 'nix' || m.name === 'keys'),
              },
            ],
            volumes,
          },
        },
      },
    }).toJSON(),
  ];
}

/** One YAML stream (k8s-apps' canonical writer sits above this layer in the graph; the objects' order is fixed here). */
export function builderWorkloadYaml(oxygen: Oxygen, cache: string): string {
  return builderWorkloadObjects(oxygen, cache)
    .map((object) => stringify(object, { lineWidth: 0 }))
    .join('---\n');
}
