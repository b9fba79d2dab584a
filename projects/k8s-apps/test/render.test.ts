import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTree } from '../src/check/check-tree';
import { treeObjects } from '../src/check/tree-objects';
import { renderTree } from '../src/render/render-tree';
import { readTree } from '../src/targets/check';
import { writeTree } from '../src/targets/render';
import { shippedConfig, withApp } from './fixtures';

const config = shippedConfig();
const tree = renderTree(config);
const temp: string[] = [];
afterAll(() => Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('render', () => {
  it('writes the Flux layout: the cluster directory, the infrastructure stages and one directory per app', () => {
    const dirs = new Set([...tree.files.keys()].map((file) => file.split('/').slice(0, -1).join('/')));
    expect([...dirs].sort()).toEqual([
      'apps',
      'apps/analysis',
      'apps/eth-node',
      'apps/nix-cache',
      'apps/website',
      'clusters/personal-cloud',
      'clusters/personal-cloud/flux-system',
      'infrastructure/configs',
      'infrastructure/configs/certificate-issuers',
      'infrastructure/configs/priority-classes',
      'infrastructure/configs/storage-tiers',
      'infrastructure/controllers',
      'infrastructure/controllers/cert-manager',
      'infrastructure/controllers/hcloud-csi',
      'infrastructure/controllers/volsync',
      'restore/analysis',
      'restore/eth-node',
    ]);
    expect(tree.files.has('clusters/personal-cloud/infrastructure.yaml')).toBe(true);
    expect(tree.files.has('clusters/personal-cloud/apps.yaml')).toBe(true);
  });

  it('is deterministic: two renders, written to disk, are byte-identical', async () => {
    const again = renderTree(shippedConfig());
    expect([...again.files]).toEqual([...tree.files]);
    expect(again.secrets).toEqual(tree.secrets);
    const [a, b] = [await mkdtemp(join(tmpdir(), 'k8s-a-')), await mkdtemp(join(tmpdir(), 'k8s-b-'))];
    temp.push(a, b);
    await writeTree(join(a, 'render'), tree.files);
    await writeTree(join(b, 'render'), again.files);
    expect(await readTree(join(a, 'render'))).toEqual(await readTree(join(b, 'render')));
    expect(await readFile(join(a, 'render/apps/eth-node/statefulset.yaml'), 'utf8')).toBe(
      tree.files.get('apps/eth-node/statefulset.yaml'),
    );
  });

  it('writes one file per object kind per app, with apiVersion, kind and metadata first', () => {
    expect([...tree.files.keys()].filter((f) => f.startsWith('apps/website/')).sort()).toEqual(
      ['certificate', 'deployment', 'ingress', 'kustomization', 'namespace', 'poddisruptionbudget', 'service'].map(
        (k) => `apps/website/${k}.yaml`,
      ),
    );
    expect(tree.files.get('apps/website/service.yaml')).toMatch(/^apiVersion: v1\nkind: Service\nmetadata:\n/);
  });

  it("changes only that app's files when one app changes", () => {
    const changed = renderTree(withApp('website', (app) => ({ ...app, replicas: 3 })));
    const differing = [...changed.files.keys()].filter((file) => changed.files.get(file) !== tree.files.get(file));
    expect(differing).toEqual(['apps/website/deployment.yaml']);
  });

  it('passes every check with the shipped config, in every phase', () => {
    expect(checkTree({ files: tree.files, config, tokens: {}, secrets: tree.secrets })).toEqual([]);
    for (const phase of [1, 2, 3] as const) {
      const earlier = { ...config, phase };
      expect(checkTree({ ...renderTree(earlier), config: earlier, tokens: {} }), `phase ${phase}`).toEqual([]);
    }
  });

  it('renders no Secret, and names the Secrets to create at deploy time with their vault tokens', () => {
    expect(treeObjects(tree.files).filter((p) => p.object.kind === 'Secret')).toEqual([]);
    const names = tree.secrets.map((s) => `${s.namespace}/${s.name}`).sort();
    expect(names).toEqual([
      'analysis-restore/analysis-results-restic',
      'analysis/analysis-results-restic',
      'eth-node-restore/eth-node-keys-restic',
      'eth-node/eth-node-jwt',
      'eth-node/eth-node-keys-restic',
      'flux-system/flux-system',
      'kube-system/hcloud-csi',
      'nix-cache/nix-cache-s3',
      'nix-cache/nix-cache-server',
    ]);
    expect(tree.secrets.find((s) => s.name === 'hcloud-csi')!.keys).toEqual({ token: { token: 'HCLOUD_CSI_TOKEN' } });
  });
});

describe('eth-node', () => {
  it('backs up only the small keys claim, with VolSync restic, copyMethod Direct, into the cold bucket', () => {
    const sources = treeObjects(tree.files).filter(
      (p) => p.object.kind === 'ReplicationSource' && p.owner === 'eth-node',
    );
    expect(sources.map((p) => p.object.spec)).toEqual([
      {
        sourcePVC: 'eth-node-keys',
        trigger: { schedule: '0 3 * * 0' },
        restic: {
          repository: 'eth-node-keys-restic',
          copyMethod: 'Direct',
          pruneIntervalDays: 7,
          retain: { weekly: 4 },
          cacheCapacity: '1Gi',
          cacheStorageClassName: 'warm-block',
        },
      },
    ]);
    const repository = tree.secrets.find((s) => s.name === 'eth-node-keys-restic')!.keys.RESTIC_REPOSITORY;
    expect(repository).toEqual({
      value: 's3:https://fsn1.your-objectstorage.com/personal-cloud-backups/eth-node/keys',
    });
  });

  it('fails check with the numbers when the chain is on the hot tier, as the config first had it', () => {
    const hot = withApp('eth-node', (app) => ({ ...app, storage: { tier: 'hot', sizeGb: 500 } }));
    const problems = checkTree({ ...renderTree(hot), config: hot, tokens: {} });
    expect(problems).toEqual([
      'eth-node: hot claims of up to 500 GB could land on worker-1, worker-2, worker-3, worker-4 or worker-5, each of which has 120 GB of hot storage (ccx23: 160 GB of disk less 40 GB reserved for the OS and images): StatefulSet eth-node/eth-node-execution claim chain 500 GB. Move the large claims to the warm tier or choose a larger server type',
    ]);
  });

  it('exposes P2P only on the ports the firewall opens', () => {
    const execution = treeObjects(tree.files).find(
      (p) => p.object.metadata.name === 'eth-node-execution' && p.object.kind === 'StatefulSet',
    )!;
    const ports = (execution.object.spec as { template: { spec: { containers: { ports: unknown[] }[] } } }).template
      .spec.containers[0]!.ports;
    expect(ports).toEqual([
      { name: 'engine', containerPort: 8551 },
      { name: 'p2p-tcp', containerPort: 30303, hostPort: 30303, protocol: 'TCP' },
      { name: 'p2p-udp', containerPort: 30303, hostPort: 30303, protocol: 'UDP' },
    ]);
  });
});

describe('nix-cache', () => {
  it("keeps chunks in the cold bucket once cold exists, with the config's garbage collection", () => {
    const configMap = treeObjects(tree.files).find((p) => p.owner === 'nix-cache' && p.object.kind === 'ConfigMap')!;
    const toml = (configMap.object.data as Record<string, string>)['server.toml'];
    expect(toml).toContain(
      '[storage]\ntype = "s3"\nregion = "fsn1"\nbucket = "personal-cloud-cache"\nendpoint = "https://fsn1.your-objectstorage.com"\n',
    );
    expect(toml).toContain('[garbage-collection]\ninterval = "12 hours"\ndefault-retention-period = "90 days"\n');
  });

  it("keeps chunks on a warm claim before the cold tier's phase", () => {
    const phase2 = { ...config, phase: 2 as const };
    const { files, secrets } = renderTree(phase2);
    const claims = treeObjects(files)
      .filter((p) => p.owner === 'nix-cache' && p.object.kind === 'PersistentVolumeClaim')
      .map((p) => p.object.metadata.name);
    expect(claims).toEqual(['nix-cache-chunks', 'nix-cache-db']);
    expect(checkTree({ files, config: phase2, tokens: {}, secrets })).toEqual([]);
  });
});
