// The tiers as StorageClasses. hot and warm are k3s's bundled local-path provisioner, each rooted
// at its own path through the provisioner's storageClassConfigs; claims wait for their pod so the
// volume is made on the node the pod lands on. movable is Hetzner's CSI. Every class keeps the
// data when a claim is deleted (Retain): stateful things are guarded.
import { ConfigMap } from 'kubernetes-models/v1';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1';
import { built, type Manifest } from '../src/manifest/manifest';
import type { PlatformPart } from '../src/render/platform-context';
import { objectsOnly } from '../src/render/runtime-secrets';

const LOCAL_PATH = 'rancher.io/local-path';
/** k3s's own default class and path, kept so nothing that already uses it moves. */
const K3S_DEFAULT = { storageClass: 'local-path', path: '/var/lib/rancher/k3s/storage' };

function localPathClass(name: string): Manifest {
  return built(
    new StorageClass({
      metadata: { name },
      provisioner: LOCAL_PATH,
      parameters: { pathPattern: '{{ .PVC.Namespace }}/{{ .PVC.Name }}' },
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Retain',
    }),
  );
}

const storageTiers: PlatformPart = ({ tiers }) => {
  const paths: [string, string][] = [
    [K3S_DEFAULT.storageClass, K3S_DEFAULT.path],
    [tiers.hot.storageClass, tiers.hot.path],
    [tiers.warm.storageClass, tiers.warm.path],
  ];
  const config = {
    nodePathMap: [],
    storageClassConfigs: Object.fromEntries(
      paths.map(([name, path]) => [
        name,
        { nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [path] }] },
      ]),
    ),
  };
  return objectsOnly([
    localPathClass(tiers.hot.storageClass),
    localPathClass(tiers.warm.storageClass),
    built(
      new StorageClass({
        metadata: { name: tiers.movable.storageClass },
        provisioner: 'csi.hetzner.cloud',
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy: 'Retain',
      }),
    ),
    // k3s's provisioner reads its paths from this ConfigMap; only config.json is ours.
    built(
      new ConfigMap({
        metadata: { name: 'local-path-config', namespace: 'kube-system' },
        data: { 'config.json': `${JSON.stringify(config, null, 2)}\n` },
      }),
    ),
  ]);
};
export default storageTiers;
