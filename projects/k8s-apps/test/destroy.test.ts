// k8s-apps:destroy deletes nothing itself: it names what outlives the cloud, the GitOps
// repository's history and any claim whose Hetzner volume its class retains.
import { describe, expect, it } from 'vitest';
import { destroyK8sAppsLines } from '../src/destroy/destroy-k8s-apps';
import { renderTree } from '../src/render/render-tree';
import { shippedConfig } from './fixtures';

describe('k8s-apps destroy', () => {
  const config = shippedConfig();

  it('names the GitOps repository that keeps its history, and no volume when no claim is movable', () => {
    const lines = destroyK8sAppsLines(config, renderTree(config), 'hetzner');
    expect(lines).toEqual([
      "k8s-apps: destroy: the cluster's objects go with its servers (hosts, then infra); k8s-apps keeps nothing in the vault.",
      'k8s-apps: destroy: the GitOps repository ssh://git@github.com/personal-cloud/gitops.git (main) keeps its history; the next provision pushes to it again.',
    ]);
  });

  it("in the sandbox world names the sandbox's repository, which stood in for the configured one", () => {
    expect(destroyK8sAppsLines(config, renderTree(config), 'sandbox')[1]).toBe(
      "k8s-apps: destroy: the sandbox's GitOps repository (gitops.git in its directory, standing in for ssh://git@github.com/personal-cloud/gitops.git) keeps its history; the next provision pushes to it again.",
    );
  });

  it('names each claim on the movable tier, whose retained Hetzner volume no sweep finds', () => {
    const tree = renderTree(config);
    tree.files.set(
      'apps/website/movable.yaml',
      [
        'apiVersion: v1',
        'kind: PersistentVolumeClaim',
        'metadata: { name: uploads, namespace: website }',
        'spec: { storageClassName: hcloud-volumes, accessModes: [ReadWriteOnce], resources: { requests: { storage: 10Gi } } }',
        '',
      ].join('\n'),
    );
    expect(destroyK8sAppsLines(config, tree, 'hetzner').at(-1)).toBe(
      "k8s-apps: destroy: the claims website/uploads on the movable tier (hcloud-volumes, reclaimPolicy Retain) keep their Hetzner volumes, which infra's sweep does not find: delete them with `hcloud volume list` and `hcloud volume delete` once their data is safe.",
    );
  });
});
