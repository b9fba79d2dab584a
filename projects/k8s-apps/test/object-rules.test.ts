// One good and one bad object per rule; the good ones come from the shipped render.
import { describe, expect, it } from 'vitest';
import { checkTree } from '../src/check/check-tree';
import {
  claimIndex,
  claimsUseTiers,
  containersAreSized,
  fluxDurationsParse,
  hotPodsArePinned,
  imagesArePinned,
  namesAreRfc1123,
  schemaIsValid,
  secretsHaveNoData,
  type RuleContext,
} from '../src/check/object-rules';
import { creatableSecrets, secretsAreCreated } from '../src/check/secret-references';
import { treeObjects } from '../src/check/tree-objects';
import type { Manifest } from '../src/manifest/manifest';
import { toYamlDocuments } from '../src/manifest/yaml-documents';
import { renderTree } from '../src/render/render-tree';
import { shippedConfig } from './fixtures';

const config = shippedConfig();
const tree = renderTree(config);
const objects = treeObjects(tree.files);
const context: RuleContext = {
  claimClasses: ['hot-nvme', 'warm-block', 'hcloud-volumes'],
  hot: { storageClass: 'hot-nvme', nodeLabels: { 'personal-cloud/storage': 'nvme' } },
  claims: claimIndex(objects),
  secrets: creatableSecrets(objects, tree.secrets),
};
const find = (kind: string, name: string): Manifest =>
  structuredClone(objects.find((p) => p.object.kind === kind && p.object.metadata.name === name)!.object);
type PodSpecOf = {
  spec: {
    template: { spec: { containers: Record<string, unknown>[]; affinity?: unknown } };
    volumeClaimTemplates: { spec: { storageClassName: string } }[];
  };
};
const podSpec = (object: Manifest) => (object as unknown as PodSpecOf).spec.template.spec;

describe('every object validates against its schema', () => {
  it('accepts the rendered Deployment and ReplicationSource', () => {
    expect(schemaIsValid(find('Deployment', 'website'), context)).toEqual([]);
    expect(schemaIsValid(find('ReplicationSource', 'eth-node-keys'), context)).toEqual([]);
  });
  it('names the kind and the field for a bad model object and a bad custom resource', () => {
    const deployment = find('Deployment', 'website');
    (deployment.spec as { replicas: unknown }).replicas = 'two';
    expect(schemaIsValid(deployment, context)).toEqual([
      expect.stringMatching(/^Deployment website is not a valid apps\/v1 Deployment: .*replicas must be integer/),
    ]);
    const source = find('ReplicationSource', 'eth-node-keys');
    (source.spec as { restic: { copyMethod: string } }).restic.copyMethod = 'Teleport';
    expect(schemaIsValid(source, context)).toEqual([
      expect.stringMatching(
        /^ReplicationSource eth-node-keys is not a valid volsync.backube\/v1alpha1 ReplicationSource: spec.restic.copyMethod/,
      ),
    ]);
  });
  it('refuses a kind it cannot vouch for', () => {
    expect(schemaIsValid({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, context)).toEqual([
      expect.stringMatching(
        /^example.com\/v1 Widget is not a kind this layer renders; allowed: .*apps\/v1\/Deployment/,
      ),
    ]);
  });
});

describe('RFC 1123 names', () => {
  it('accepts subdomain names and label-named kinds', () => {
    expect(namesAreRfc1123(find('Service', 'website'), context)).toEqual([]);
    expect(
      namesAreRfc1123({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a.b-c', namespace: 'ns' } }, context),
    ).toEqual([]);
  });
  it('refuses upper case, underscores, a dotted Service name and a bad namespace', () => {
    expect(namesAreRfc1123({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Web_Site' } }, context)).toEqual([
      expect.stringMatching(/^name "Web_Site" is not an RFC 1123 subdomain/),
    ]);
    expect(namesAreRfc1123({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web.site' } }, context)).toEqual([
      expect.stringMatching(/^name "web.site" is not an RFC 1123 label/),
    ]);
    expect(
      namesAreRfc1123({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: '-ns' } }, context),
    ).toEqual([expect.stringMatching(/^namespace "-ns" is not an RFC 1123 label/)]);
  });
});

describe('Flux durations', () => {
  it('accepts the rendered Kustomizations and HelmReleases', () => {
    for (const p of objects.filter((o) => o.object.apiVersion.includes('toolkit.fluxcd.io')))
      expect(fluxDurationsParse(p.object, context)).toEqual([]);
  });
  it('refuses an interval that Go cannot parse, wherever it is nested, but not inside Helm values', () => {
    const release = find('HelmRelease', 'cert-manager');
    const spec = release.spec as { chart: { spec: { interval: string } }; values: Record<string, unknown> };
    spec.chart.spec.interval = '1 day';
    spec.values.interval = 'whenever';
    expect(fluxDurationsParse(release, context)).toEqual([
      'spec.chart.spec.interval is "1 day", not a Flux duration; allowed: a Go duration such as 30s, 5m or 1h30m',
    ]);
  });
});

describe('requests and limits on every container', () => {
  it('accepts the rendered workloads', () => {
    for (const p of objects) expect(containersAreSized(p.object, context)).toEqual([]);
  });
  it('names the container and what it lacks', () => {
    const deployment = find('Deployment', 'website');
    podSpec(deployment).containers[0]!.resources = { requests: { cpu: '100m', memory: '1Gi' } };
    expect(containersAreSized(deployment, context)).toEqual([
      'container web has no resources limits.cpu, limits.memory; every container needs cpu and memory requests and limits',
    ]);
  });
});

describe('no latest or untagged images', () => {
  const withImage = (image: string) => {
    const deployment = find('Deployment', 'website');
    podSpec(deployment).containers[0]!.image = image;
    return imagesArePinned(deployment, context);
  };
  it('accepts tags and digests, and does not take a registry port for a tag', () => {
    expect(withImage('ghcr.io/x/web:1.2.3')).toEqual([]);
    expect(withImage(`registry:5000/web@sha256:${'a'.repeat(64)}`)).toEqual([]);
  });
  it('refuses latest and untagged images', () => {
    expect(withImage('nginx:latest')).toEqual([
      'container web image "nginx:latest" is tagged latest; pin a version or a digest',
    ]);
    expect(withImage('registry:5000/web')).toEqual([
      'container web image "registry:5000/web" has no tag; pin a version, e.g. registry:5000/web:1.2.3, or a digest',
    ]);
  });
});

describe('no Secret with data in git', () => {
  it('accepts a Secret with no data, refuses one with data or stringData', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } };
    expect(secretsHaveNoData(secret, context)).toEqual([]);
    expect(secretsHaveNoData({ ...secret, data: { token: 'c2VjcmV0' }, stringData: { a: 'b' } }, context)).toEqual([
      'is a Secret with data and stringData in git; Secrets are created from the vault at deploy time: render only their names',
    ]);
  });
});

describe("a claim's storage class is one of the tiers", () => {
  it('accepts the rendered claims and claim templates', () => {
    for (const p of objects) expect(claimsUseTiers(p.object, context)).toEqual([]);
  });
  it('refuses another class, no class, and a claim template outside the tiers', () => {
    const claim = find('PersistentVolumeClaim', 'eth-node-keys');
    (claim.spec as { storageClassName?: string }).storageClassName = 'standard';
    expect(claimsUseTiers(claim, context)).toEqual([
      'the claim has storage class "standard"; allowed: hot-nvme, warm-block, hcloud-volumes',
    ]);
    delete (claim.spec as { storageClassName?: string }).storageClassName;
    expect(claimsUseTiers(claim, context)).toEqual([
      'the claim has storage class (none: the cluster default); allowed: hot-nvme, warm-block, hcloud-volumes',
    ]);
    const statefulSet = find('StatefulSet', 'eth-node-execution');
    (statefulSet as unknown as PodSpecOf).spec.volumeClaimTemplates[0]!.spec.storageClassName = 'local-path';
    expect(claimsUseTiers(statefulSet, context)).toEqual([
      'claim template chain has storage class "local-path"; allowed: hot-nvme, warm-block, hcloud-volumes',
    ]);
  });
});

describe('an app on the hot tier is pinned to the nodes that have it', () => {
  const onHot = (affinity: unknown) => {
    const statefulSet = find('StatefulSet', 'eth-node-execution');
    (statefulSet as unknown as PodSpecOf).spec.volumeClaimTemplates[0]!.spec.storageClassName = 'hot-nvme';
    podSpec(statefulSet).affinity = affinity;
    return hotPodsArePinned(statefulSet, context);
  };
  const term = (expressions: unknown[]) => ({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] },
    },
  });
  it('accepts a pod whose required node affinity names the hot label', () => {
    expect(onHot(term([{ key: 'personal-cloud/storage', operator: 'In', values: ['nvme'] }]))).toEqual([]);
  });
  it('refuses a hot pod pinned only to a pool, or not at all', () => {
    const problem =
      'uses the hot tier (claim template chain) but is not pinned to the nodes that have it: require personal-cloud/storage=nvme in a nodeSelector or required node affinity';
    expect(onHot(term([{ key: 'personal-cloud/pool', operator: 'In', values: ['worker'] }]))).toEqual([problem]);
    expect(onHot(undefined)).toEqual([problem]);
  });
});

describe('every Secret an object names is one something creates', () => {
  it('accepts the rendered references: runtime Secrets, restic repositories, and Certificate secrets for TLS', () => {
    for (const p of objects) expect(secretsAreCreated(p.object, context)).toEqual([]);
  });
  it('refuses a Secret nothing creates, and a key the Secret does not have', () => {
    const deployment = find('Deployment', 'nix-cache');
    const env = podSpec(deployment).containers[0]!.env as {
      valueFrom: { secretKeyRef: { name: string; key: string } };
    }[];
    env[0]!.valueFrom.secretKeyRef.key = 'token';
    env[1]!.valueFrom.secretKeyRef.name = 'nix-cache-s4';
    expect(secretsAreCreated(deployment, context)).toEqual([
      'container atticd env ATTIC_SERVER_TOKEN_HS256_SECRET_BASE64 references key token of Secret nix-cache/nix-cache-server, which has only signing-key, token-hs256-secret',
      "container atticd env AWS_ACCESS_KEY_ID references Secret nix-cache/nix-cache-s4, which nothing creates: declare it among the module's runtime Secrets",
    ]);
    const ingress = find('Ingress', 'website');
    (ingress.spec as { tls: { secretName: string }[] }).tls[0]!.secretName = 'website-cert';
    expect(secretsAreCreated(ingress, context)).toEqual([
      "tls references Secret website/website-cert, which nothing creates: declare it among the module's runtime Secrets",
    ]);
  });
});

describe('check', () => {
  it('names the app, the object and the file of each problem', () => {
    const files = new Map(tree.files);
    const deployment = find('Deployment', 'website');
    podSpec(deployment).containers[0]!.image = 'ghcr.io/personal-cloud/website:latest';
    files.set('apps/website/deployment.yaml', toYamlDocuments([deployment]));
    expect(checkTree({ files, config, tokens: {}, secrets: tree.secrets })).toEqual([
      'website: Deployment website/website (apps/website/deployment.yaml): container web image "ghcr.io/personal-cloud/website:latest" is tagged latest; pin a version or a digest',
    ]);
  });
});
