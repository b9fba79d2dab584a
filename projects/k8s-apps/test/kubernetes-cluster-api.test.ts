// The Hetzner world's cluster client, @kubernetes/client-node against a local stand-in of the API
// server: exact methods, paths, content types and field manager of the server-side applies; Flux
// installed from a stand-in `flux` CLI on PATH, its CRDs waited for, then its sync; Kustomizations
// read from their conditions, a failure named with its message, a timeout with what it waited for;
// a 403 and a 409 each in one sentence. And its GitOps remote: git over SSH with the vault's deploy
// key, written only into the vault's secure temp folder (mode 0600) with a known_hosts of the
// operator's entry, checked strictly, and removed on close.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateOpenSshKeyPair } from '@personal-cloud/vault';
import { chooseClusterApi } from '../src/cluster/choose-cluster-api';
import type { ClusterApi, FluxInstall } from '../src/cluster/cluster-api';
import { KubernetesClusterApi, type KubernetesClusterOptions } from '../src/cluster/kubernetes-cluster-api';
import { DeployKeyRemote } from '../src/gitops/deploy-key-remote';
import { waitForKustomizations, type RunClock } from '../src/provision/wait-kustomizations';
import { startFakeKubeApi, type FakeKubeApi } from './support/fake-kube-api';

const APPLY = 'application/apply-patch+yaml';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** A Flux CRD of `group`, served at v1, as `flux install --export` prints one (schema left open). */
const crd = (group: string, kind: string, plural: string) => `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  names: { kind: ${kind}, plural: ${plural}, listKind: ${kind}List, singular: ${kind.toLowerCase()} }
  scope: Namespaced
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;

/** A `flux` CLI stand-in: its version, and a small `install --export` (namespace, two CRDs, a controller). */
const FLUX_SCRIPT = `#!/bin/sh
case "$1" in
  version) echo "flux: v2.4.0" ;;
  install)
    [ "$3" = "--version=v2.4.0" ] || { echo "unexpected: $*" >&2; exit 1; }
    cat <<'YAML'
---
apiVersion: v1
kind: Namespace
metadata:
  name: flux-system
  labels:
    app.kubernetes.io/instance: flux-system
    app.kubernetes.io/version: v2.4.0
${crd('source.toolkit.fluxcd.io', 'GitRepository', 'gitrepositories')}${crd('kustomize.toolkit.fluxcd.io', 'Kustomization', 'kustomizations')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: source-controller
  namespace: flux-system
spec:
  selector: { matchLabels: { app: source-controller } }
  template:
    metadata: { labels: { app: source-controller } }
    spec: { containers: [{ name: manager, image: ghcr.io/fluxcd/source-controller:v1.4.1 }] }
YAML
    ;;
esac
`;

describe('KubernetesClusterApi against a stand-in API server', () => {
  let server: FakeKubeApi;
  let bin: string;
  let env: NodeJS.ProcessEnv;
  let now = 0;
  const clock: RunClock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
  let api: ClusterApi;
  const install: FluxInstall = {
    version: 'v2.4.0',
    source: { url: 'ssh://git@example.org/gitops.git', branch: 'main', path: 'clusters/personal-cloud' },
  };
  /** A client of the stand-in server, with the run's clock and the stand-in `flux` on PATH. */
  const client = (options: Partial<KubernetesClusterOptions> = {}) =>
    new KubernetesClusterApi({
      kubeconfig: server.kubeconfig(),
      gitops: new DeployKeyRemote(install.source.url, {}),
      clock,
      env,
      ...options,
    });
  /** What the client sent, without API discovery. */
  const sent = () =>
    server.requests
      .filter((r) => !/^\/(api\/v1|apis\/[^/]+\/[^/]+)$/.test(r.url))
      .map((r) => `${r.method} ${r.url}${r.contentType ? ` ${r.contentType}` : ''}`);

  beforeAll(async () => {
    server = await startFakeKubeApi();
    bin = await mkdtemp(join(tmpdir(), 'k8s-apps-flux-bin-'));
    await writeFile(join(bin, 'flux'), FLUX_SCRIPT);
    await chmod(join(bin, 'flux'), 0o755);
    env = { PATH: `${bin}:/usr/bin:/bin` };
  });
  afterAll(async () => {
    await server.close();
    await rm(bin, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
    api = client();
  });

  it('is what a non-sandbox endpoint gets, with the kubeconfig from the vault', async () => {
    const chosen = await chooseClusterApi('https://api.hetzner.cloud/v1', {
      gitopsUrl: install.source.url,
      readTokens: async () => ({ KUBECONFIG: server.kubeconfig() }),
      clock,
      fetchImpl: async () => new Response('', { status: 404 }),
      env,
    });
    expect(chosen.kind).toBe('kubernetes');
  });

  it('applies a Secret server-side, after its namespace, and reads its fingerprint back', async () => {
    await api.applySecret({
      namespace: 'eth-node',
      name: 'eth-node-jwt',
      data: { jwt: 'secret-jwt' },
      fingerprint: 'sha256:abc',
    });
    expect(sent()).toEqual([
      'GET /api/v1/namespaces/eth-node',
      `PATCH /api/v1/namespaces/eth-node?fieldManager=personal-cloud&force=false ${APPLY}`,
      `PATCH /api/v1/namespaces/eth-node/secrets/eth-node-jwt?fieldManager=personal-cloud&force=true ${APPLY}`,
    ]);
    const secret = server.requests.at(-1)!;
    expect(secret.authorization).toBe(`Bearer ${server.token}`);
    expect(secret.body).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'eth-node-jwt',
        namespace: 'eth-node',
        labels: { 'app.kubernetes.io/managed-by': 'personal-cloud' },
        annotations: { 'personal-cloud/fingerprint': 'sha256:abc' },
      },
      type: 'Opaque',
      data: { jwt: Buffer.from('secret-jwt').toString('base64') },
    });
    server.requests.length = 0;
    expect(await api.secretFingerprints()).toEqual(new Map([['eth-node/eth-node-jwt', 'sha256:abc']]));
    expect(sent()).toEqual(['GET /api/v1/secrets?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dpersonal-cloud']);
  });

  it('installs Flux from `flux install --export`, waits for its CRDs, then applies its sync; a rerun applies nothing', async () => {
    expect(await api.ensureFlux(install)).toBe(true);
    expect(sent()).toEqual([
      'GET /api/v1/namespaces/flux-system',
      `PATCH /api/v1/namespaces/flux-system?fieldManager=personal-cloud&force=true ${APPLY}`,
      `PATCH /apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io?fieldManager=personal-cloud&force=true ${APPLY}`,
      `PATCH /apis/apiextensions.k8s.io/v1/customresourcedefinitions/kustomizations.kustomize.toolkit.fluxcd.io?fieldManager=personal-cloud&force=true ${APPLY}`,
      `PATCH /apis/apps/v1/namespaces/flux-system/deployments/source-controller?fieldManager=personal-cloud&force=true ${APPLY}`,
      'GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/gitrepositories.source.toolkit.fluxcd.io',
      'GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/kustomizations.kustomize.toolkit.fluxcd.io',
      `PATCH /apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system?fieldManager=personal-cloud&force=true ${APPLY}`,
      `PATCH /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/flux-system?fieldManager=personal-cloud&force=true ${APPLY}`,
    ]);
    // Sent as printed: the client's typed models would drop a CRD schema's x-kubernetes-* fields.
    expect(
      (server.requests.find((r) => r.url.includes('/customresourcedefinitions/gitrepositories'))!.body as any).spec
        .versions[0].schema,
    ).toEqual({ openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
    const source = server.objects.get(
      '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system',
    );
    expect(source?.spec).toMatchObject({
      url: install.source.url,
      ref: { branch: 'main' },
      secretRef: { name: 'flux-system' },
    });

    server.requests.length = 0;
    expect(await api.ensureFlux(install)).toBe(false);
    expect(sent().filter((line) => !line.startsWith('GET '))).toEqual([]);
    // A Secret in Flux's namespace leaves the namespace (and the labels its install applied) alone.
    server.requests.length = 0;
    await api.applySecret({ namespace: 'flux-system', name: 'flux-system', data: { identity: 'k' }, fingerprint: 'x' });
    expect(sent().filter((line) => line.includes('/namespaces/flux-system?'))).toEqual([]);
    expect(server.objects.get('/api/v1/namespaces/flux-system')?.metadata.labels).toMatchObject({
      'app.kubernetes.io/version': 'v2.4.0',
    });
    // Another branch is another source: installed again.
    expect(await api.ensureFlux({ ...install, source: { ...install.source, branch: 'next' } })).toBe(true);
  });

  it('names a Flux CRD that is not Established in time', async () => {
    server.pendingCrds.add('kustomizations.kustomize.toolkit.fluxcd.io');
    const slow = client({ crdTimeoutMs: 3000 });
    await expect(
      slow.ensureFlux({ ...install, source: { ...install.source, path: 'clusters/other' } }),
    ).rejects.toThrow(
      "k8s-apps: Flux's CustomResourceDefinition kustomizations.kustomize.toolkit.fluxcd.io is not Established after 3 s; `kubectl describe crd kustomizations.kustomize.toolkit.fluxcd.io` says why.",
    );
    server.pendingCrds.clear();
  });

  it('names a failed `flux install --export` and applies nothing', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'k8s-apps-flux-broken-'));
    await writeFile(
      join(broken, 'flux'),
      '#!/bin/sh\n[ "$1" = version ] && { echo "flux: v2.4.0"; exit 0; }\necho "✗ install failed: no network" >&2\nexit 1\n',
    );
    await chmod(join(broken, 'flux'), 0o755);
    const failing = client({ env: { PATH: `${broken}:/usr/bin:/bin` } });
    await expect(
      failing.ensureFlux({ ...install, version: 'v2.4.0', source: { ...install.source, path: 'x' } }),
    ).rejects.toThrow(
      '`flux install --export --version=v2.4.0` failed, so nothing was applied: ✗ install failed: no network',
    );
    expect(sent().filter((line) => line.startsWith('PATCH'))).toEqual([]);
    await rm(broken, { recursive: true, force: true });
  });

  it('names an API server that does not answer in time', async () => {
    server.stallNext(/\/kustomizations$/);
    const impatient = client({ requestTimeoutMs: 100 });
    await expect(impatient.kustomizations()).rejects.toThrow(
      `k8s-apps: the Kubernetes API at ${server.url} did not answer within 0.1 s while listing Flux's Kustomizations; is the node reachable (the tailnet up)?`,
    );
  });

  it('names a kubeconfig that does not parse without quoting it (it holds the client key)', () => {
    const make = (kubeconfig: string) => () => client({ kubeconfig });
    expect(make('users: [{ name: a, user: { client-key-data: SECRETKEYDATA }')).toThrow(
      /^the vault's KUBECONFIG token does not parse as a kubeconfig; run `npx nx run hosts:provision` to record it again\.$/,
    );
    expect(make('apiVersion: v1\nkind: Config\nclusters: []\n')).toThrow(
      "the vault's KUBECONFIG token names no current cluster; run `npx nx run hosts:provision` to record it again.",
    );
  });

  it('asks Flux to reconcile with the request annotation, as a merge patch', async () => {
    await api.reconcile();
    expect(sent()).toEqual([
      'PATCH /apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system?fieldManager=personal-cloud application/merge-patch+json',
    ]);
    expect(server.requests.at(-1)!.body).toMatchObject({
      metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': new Date(now).toISOString() } },
    });
  });

  it("reads the Kustomizations' Ready conditions; a failed one is named with its message", async () => {
    const put = (name: string, dependsOn: string[], ready: string, reason: string, message: string) =>
      server.objects.set(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${name}`, {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name, namespace: 'flux-system' },
        spec: { path: `./${name}`, dependsOn: dependsOn.map((d) => ({ name: d })) },
        status: {
          lastAttemptedRevision: `main@sha1:${COMMIT}`,
          conditions: [{ type: 'Ready', status: ready, reason, message }],
        },
      });
    put('flux-system', [], 'True', 'ReconciliationSucceeded', `Applied revision: main@sha1:${COMMIT}`);
    put(
      'infra-controllers',
      [],
      'False',
      'BuildFailed',
      "kustomize build failed: accumulating resources: 'cert-manager' missing",
    );
    put(
      'apps',
      ['infra-controllers'],
      'False',
      'DependencyNotReady',
      "dependency 'flux-system/infra-controllers' is not ready",
    );
    expect((await api.kustomizations()).find((k) => k.name === 'apps')).toEqual({
      name: 'apps',
      ready: false,
      reason: 'DependencyNotReady',
      message: "dependency 'flux-system/infra-controllers' is not ready",
      revision: `main@sha1:${COMMIT}`,
      dependsOn: ['infra-controllers'],
    });
    await expect(waitForKustomizations(api, { commit: COMMIT, clock })).rejects.toThrow(
      "Flux Kustomization failed: infra-controllers (BuildFailed: kustomize build failed: accumulating resources: 'cert-manager' missing); waiting on them: apps.",
    );
    put('infra-controllers', [], 'Unknown', 'Progressing', 'Reconciliation in progress');
    await expect(waitForKustomizations(api, { commit: COMMIT, clock, timeoutMs: 4000 })).rejects.toThrow(
      "Flux Kustomizations are not Ready after 4 s: infra-controllers (Progressing: Reconciliation in progress); apps (DependencyNotReady: dependency 'flux-system/infra-controllers' is not ready).",
    );
  });

  it('names a 403 in one sentence, with the missing permission', async () => {
    server.failNext(
      'PATCH',
      /\/secrets\//,
      403,
      'Forbidden',
      'secrets "hcloud-csi" is forbidden: User "k3s-reader" cannot patch resource "secrets" in API group "" in the namespace "kube-system"',
    );
    await expect(
      api.applySecret({ namespace: 'kube-system', name: 'hcloud-csi', data: { token: 't' }, fingerprint: 'sha256:1' }),
    ).rejects.toThrow(
      `k8s-apps: the Kubernetes API answered 403 Forbidden while applying Secret kube-system/hcloud-csi: secrets "hcloud-csi" is forbidden: User "k3s-reader" cannot patch resource "secrets" in API group "" in the namespace "kube-system"; the kubeconfig's user lacks that permission.`,
    );
  });

  it("applies a restore's objects without force and names a 409 conflict in one sentence", async () => {
    const destination = {
      apiVersion: 'volsync.backube/v1alpha1',
      kind: 'ReplicationDestination',
      metadata: { name: 'eth-node-keys', namespace: 'eth-node-restore' },
      spec: { trigger: { manual: 'restore-1' } },
    };
    // VolSync's CRD, so discovery knows the kind.
    server.objects.set(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/replicationdestinations.volsync.backube',
      {
        metadata: { name: 'replicationdestinations.volsync.backube' },
        spec: {
          group: 'volsync.backube',
          names: { kind: 'ReplicationDestination', plural: 'replicationdestinations' },
          scope: 'Namespaced',
          versions: [{ name: 'v1alpha1' }],
        },
      },
    );
    server.failNext(
      'PATCH',
      /replicationdestinations/,
      409,
      'Conflict',
      'Apply failed with 1 conflict: conflict with "kustomize-controller": .spec.trigger.manual',
    );
    await expect(api.apply([destination])).rejects.toThrow(
      'k8s-apps: the Kubernetes API answered 409 Conflict while applying ReplicationDestination eth-node-restore/eth-node-keys: Apply failed with 1 conflict: conflict with "kustomize-controller": .spec.trigger.manual; another field manager owns a field this run sets',
    );
    expect(sent()).toEqual([
      `PATCH /apis/volsync.backube/v1alpha1/namespaces/eth-node-restore/replicationdestinations/eth-node-keys?fieldManager=personal-cloud&force=false ${APPLY}`,
    ]);
    expect(await api.replicationDestination('eth-node-restore', 'eth-node-keys')).toBeNull();
    await api.apply([destination]);
    server.objects.get(
      '/apis/volsync.backube/v1alpha1/namespaces/eth-node-restore/replicationdestinations/eth-node-keys',
    )!.status = {
      lastSyncTime: '2026-12-02T03:00:00Z',
      lastManualSync: 'restore-1',
      latestMoverStatus: { result: 'Successful', logs: 'restored 3 files' },
    };
    expect(await api.replicationDestination('eth-node-restore', 'eth-node-keys')).toEqual({
      lastSyncTime: '2026-12-02T03:00:00.000Z',
      lastManualSync: 'restore-1',
      result: 'Successful',
      message: 'restored 3 files',
    });
  });
});

const GITOPS_URL = 'ssh://git@github.com/personal-cloud/gitops.git';
const HOST = 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('DeployKeyRemote', () => {
  it('hands git an SSH command naming the key and known_hosts files, which close removes', async () => {
    const key = generateOpenSshKeyPair('flux@test').privateKey;
    const remote = new DeployKeyRemote(GITOPS_URL, { GITOPS_DEPLOY_KEY: key, GITOPS_KNOWN_HOSTS: HOST });
    const world = await remote.remote('main');
    expect(world).toMatchObject({ url: GITOPS_URL, branch: 'main', knownHosts: `${HOST}\n` });
    const command = world.env!.GIT_SSH_COMMAND!;
    const [, identity] = /-i '([^']+)'/.exec(command)!;
    const [, hosts] = /UserKnownHostsFile='([^']+)'/.exec(command)!;
    expect(command).toContain('-o IdentitiesOnly=yes');
    expect(command).toContain('-o StrictHostKeyChecking=yes');
    expect(statSync(identity!).mode & 0o777).toBe(0o600);
    expect(readFileSync(identity!, 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(readFileSync(hosts!, 'utf8')).toBe(`${HOST}\n`);
    // A second call (plan, then provision) reuses the files.
    expect((await remote.remote('main')).env).toEqual(world.env);
    await remote.close();
    expect(existsSync(identity!)).toBe(false);
  });

  it('names a missing host entry, and needs nothing for a file:// remote', async () => {
    await expect(new DeployKeyRemote(GITOPS_URL, { GITOPS_DEPLOY_KEY: 'k' }).remote('main')).rejects.toThrow(
      "the vault's tokens lack GITOPS_KNOWN_HOSTS (the git host's key as `ssh-keyscan` prints it; enter it with `npm run state -- edit tokens`), which reaching ssh://git@github.com/personal-cloud/gitops.git over SSH needs; nothing was pushed.",
    );
    expect(await new DeployKeyRemote('file:///srv/gitops.git', {}).remote('main')).toEqual({
      url: 'file:///srv/gitops.git',
      branch: 'main',
      knownHosts: '',
    });
  });
});
