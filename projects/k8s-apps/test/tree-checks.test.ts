// The checks over the whole tree: Flux's dependsOn graph, the vault's tokens, the hot tier's capacity.
import { describe, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { checkTree, treeDirectories } from '../src/check/check-tree';
import { fluxGraphProblems } from '../src/check/flux-graph';
import { hotCapacityProblems, quantityGb } from '../src/check/hot-capacity';
import { tokenLeakProblems } from '../src/check/token-leaks';
import { treeObjects, type PlacedObject } from '../src/check/tree-objects';
import { renderTree } from '../src/render/render-tree';
import { shippedConfig, withApp } from './fixtures';

const config = shippedConfig();
const tree = renderTree(config);

const kustomization = (name: string, path: string, dependsOn: string[] = []): PlacedObject => ({
  file: 'clusters/c/x.yaml',
  owner: 'flux',
  object: {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { path: `./${path}`, dependsOn: dependsOn.map((d) => ({ name: d })) },
  },
});

describe('the Flux dependsOn graph', () => {
  const dirs = new Set(['a', 'b', 'c']);
  it('accepts the rendered graph: controllers, then configs, then apps', () => {
    expect(fluxGraphProblems(treeObjects(tree.files), treeDirectories(tree.files))).toEqual([]);
  });
  it('refuses a dependency that does not exist and a path that is not in the tree', () => {
    expect(fluxGraphProblems([kustomization('a', 'a', ['ghost']), kustomization('b', 'missing')], dirs)).toEqual([
      'flux: Kustomization flux-system/a depends on flux-system/ghost, which does not exist; allowed: flux-system/a, flux-system/b',
      'flux: Kustomization flux-system/b has path ./missing, which is not a directory of the rendered tree',
    ]);
  });
  it('refuses a cycle and names it', () => {
    expect(
      fluxGraphProblems(
        [kustomization('a', 'a', ['c']), kustomization('b', 'b', ['a']), kustomization('c', 'c', ['b'])],
        dirs,
      ),
    ).toEqual([
      'flux: Kustomizations depend on each other in a cycle: flux-system/a → flux-system/c → flux-system/b → flux-system/a; Flux would wait forever',
    ]);
  });
});

describe("no value of the vault's tokens in any rendered file", () => {
  const tokens = { S3_SECRET_ACCESS_KEY: 'planted-secret-value-0123456789', SHORT: 'true' };
  it('finds nothing in the shipped render', () => {
    expect(tokenLeakProblems(tree.files, tokens)).toEqual([]);
  });
  it('catches a planted value, as itself and base64-encoded, without printing it', () => {
    const files = new Map(tree.files);
    const configMap = files.get('apps/nix-cache/configmap.yaml')!;
    files.set(
      'apps/nix-cache/configmap.yaml',
      configMap.replace('region = ', `secret = ${tokens.S3_SECRET_ACCESS_KEY}\\nregion = `),
    );
    files.set(
      'apps/website/secret.yaml',
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\ndata:\n  key: ${Buffer.from(tokens.S3_SECRET_ACCESS_KEY).toString('base64')}\n`,
    );
    const problems = checkTree({ files, config, tokens, secrets: tree.secrets });
    expect(problems).toContain(
      "apps/nix-cache/configmap.yaml contains the value of the vault's token S3_SECRET_ACCESS_KEY; reference a Secret created at deploy time instead",
    );
    expect(problems).toContain(
      "apps/website/secret.yaml contains the value of the vault's token S3_SECRET_ACCESS_KEY (base64-encoded); reference a Secret created at deploy time instead",
    );
    expect(problems.join('\n')).not.toContain(tokens.S3_SECRET_ACCESS_KEY);
  });
});

describe('the hot tier fits the disks', () => {
  const hotApp = (name: string, sizeGb: number) =>
    withApp(
      name,
      (app) => ({ ...app, storage: { tier: 'hot', sizeGb } }),
      withApp('eth-node', (app) => ({ ...app, storage: { tier: 'hot', sizeGb: 70 } })),
    );
  it("accepts hot claims that fit each node: 70 GB of a CCX23's 120", () => {
    const cfg = hotApp('eth-node', 70);
    expect(checkTree({ ...renderTree(cfg), config: cfg, tokens: {} })).toEqual([]);
  });
  it('adds up the claims of different apps that could share a node, and names each', () => {
    const cfg = withApp(
      'analysis',
      (app) => ({ ...app, storage: { tier: 'hot', sizeGb: 60 } }),
      hotApp('eth-node', 70),
    );
    const objects = treeObjects(renderTree(cfg).files);
    const problems = hotCapacityProblems(objects, nodesInPhase(cfg), {
      storageClass: 'hot-nvme',
      nodeLabels: { 'personal-cloud/storage': 'nvme' },
      osReserveGb: 40,
    });
    expect(problems).toEqual([
      'analysis, eth-node: hot claims of up to 130 GB could land on worker-1, worker-2, worker-3, worker-4 or worker-5, each of which has 120 GB of hot storage (ccx23: 160 GB of disk less 40 GB reserved for the OS and images): PersistentVolumeClaim analysis/analysis-results 60 GB; StatefulSet eth-node/eth-node-execution claim chain 70 GB. Move the large claims to the warm tier or choose a larger server type',
    ]);
  });
  it('reads Kubernetes quantities as GB', () => {
    expect([quantityGb('500Gi'), quantityGb('1Ti'), quantityGb('512Mi'), quantityGb('lots')]).toEqual([
      500,
      1024,
      0.5,
      undefined,
    ]);
  });
});
