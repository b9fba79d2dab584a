// k8s-apps' destroy, first of all the layers: the cluster's objects go with its servers (hosts,
// then infra), and the layer keeps nothing in the vault, so nothing here deletes anything. What
// outlives the cloud is said instead: the GitOps repository keeps its history (the next provision
// pushes to it again), and the movable tier's claims keep their Hetzner volumes, since their class
// retains them (reclaimPolicy Retain) and the CSI driver does not label them as ours, so infra's
// sweep cannot find them. Pure: the target reads the config and renders.
import type { LayerConfig } from '@personal-cloud/cluster';
import { treeObjects } from '../check/tree-objects';
import type { RenderedTree } from '../render/render-tree';
import { storageTiers } from '../render/storage-tiers';

/** What stays after `run-many -t destroy`, one line each, for the operator. */
export function destroyK8sAppsLines(
  config: LayerConfig<'k8s-apps'>,
  tree: RenderedTree,
  world: 'sandbox' | 'hetzner',
): string[] {
  const movable = storageTiers(config).movable.storageClass;
  const claims = treeObjects(tree.files)
    .filter(({ object }) => object.kind === 'PersistentVolumeClaim')
    .filter(({ object }) => (object as { spec?: { storageClassName?: string } }).spec?.storageClassName === movable)
    .map(({ object }) => `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`)
    .sort();
  return [
    "k8s-apps: destroy: the cluster's objects go with its servers (hosts, then infra); k8s-apps keeps nothing in the vault.",
    !config.gitops
      ? 'k8s-apps: destroy: no GitOps repository is configured; nothing was pushed anywhere.'
      : world === 'sandbox'
        ? `k8s-apps: destroy: the sandbox's GitOps repository (gitops.git in its directory, standing in for ${config.gitops.url}) keeps its history; the next provision pushes to it again.`
        : `k8s-apps: destroy: the GitOps repository ${config.gitops.url} (${config.gitops.branch}) keeps its history; the next provision pushes to it again.`,
    ...(claims.length
      ? [
          `k8s-apps: destroy: the claims ${claims.join(', ')} on the movable tier (${movable}, reclaimPolicy Retain) keep their Hetzner volumes, which infra's sweep does not find: delete them with \`hcloud volume list\` and \`hcloud volume delete\` once their data is safe.`,
        ]
      : []),
  ];
}
