// A small stand-in for the Kubernetes API server, for the few paths k8s-apps' client uses: API
// discovery (a custom resource's group appears once its CRD is applied, as on a real server),
// server-side apply and merge patches, GET of one object or a list (with a label selector), and
// Status errors. It records every request (method, path with query, content type, authorization,
// body) so a test can assert exactly what the client sent. Port 0; nothing else is shared.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

type Stored = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
};

/** Built-in resources: group/version → kind → [plural, namespaced]. */
const BUILT_IN: Record<string, Record<string, [string, boolean]>> = {
  v1: { Namespace: ['namespaces', false], Secret: ['secrets', true] },
  'apps/v1': { Deployment: ['deployments', true] },
  'apiextensions.k8s.io/v1': { CustomResourceDefinition: ['customresourcedefinitions', false] },
};

export interface FakeKubeApi {
  url: string;
  token: string;
  requests: RecordedRequest[];
  /** Objects by their API path (`/api/v1/namespaces/x/secrets/y`). */
  objects: Map<string, Stored>;
  /** CRDs (by name) that stay not Established, as when the API server is slow to serve them. */
  pendingCrds: Set<string>;
  /** The next request whose path matches gets no answer at all, as from an API server that hangs. */
  stallNext(path: RegExp): void;
  /** The next request matching method and path answers with this Status instead. */
  failNext(method: string, path: RegExp, code: number, reason: string, message: string): void;
  kubeconfig(): string;
  close(): Promise<void>;
}

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, Stored>();
  const failures: { method: string; path: RegExp; code: number; reason: string; message: string }[] = [];
  const token = 'fake-kube-token-0123456789';
  const pendingCrds = new Set<string>();
  const stalled: RegExp[] = [];

  /** Discovery, with the groups of the CRDs applied so far. */
  const resources = (): Record<string, Record<string, [string, boolean]>> => {
    const all = structuredClone(BUILT_IN);
    for (const [path, crd] of objects) {
      if (!path.startsWith('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/')) continue;
      const spec = crd.spec as {
        group: string;
        names: { kind: string; plural: string };
        scope: string;
        versions: { name: string }[];
      };
      for (const version of spec.versions)
        all[`${spec.group}/${version.name}`] = {
          ...all[`${spec.group}/${version.name}`],
          [spec.names.kind]: [spec.names.plural, spec.scope === 'Namespaced'],
        };
    }
    return all;
  };

  const send = (response: ServerResponse, code: number, body: unknown) => {
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const status = (response: ServerResponse, code: number, reason: string, message: string) =>
    send(response, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });

  const handle = (request: IncomingMessage, response: ServerResponse, text: string) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = url.pathname;
    const contentType = request.headers['content-type'];
    requests.push({
      method: request.method ?? '',
      url: `${path}${url.search}`,
      contentType,
      authorization: request.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    });
    const stall = stalled.findIndex((pattern) => pattern.test(path));
    if (stall >= 0) return void stalled.splice(stall, 1);
    const failure = failures.findIndex((f) => f.method === request.method && f.path.test(path));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      return status(response, f!.code, f!.reason, f!.message);
    }
    const groupVersion = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(path);
    if (request.method === 'GET' && groupVersion) {
      const version = groupVersion[1] ?? groupVersion[2]!;
      const kinds = resources()[version];
      if (!kinds) return status(response, 404, 'NotFound', 'the server could not find the requested resource');
      return send(response, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: version,
        resources: Object.entries(kinds).map(([kind, [name, namespaced]]) => ({
          kind,
          name,
          namespaced,
          singularName: kind.toLowerCase(),
          verbs: ['get', 'list', 'patch'],
        })),
      });
    }
    const stored = objects.get(path);
    if (request.method === 'PATCH') {
      const body = JSON.parse(text) as Stored;
      if (contentType === 'application/apply-patch+yaml') {
        // The object as applied, keeping the status a controller wrote.
        const applied: Stored = { ...body, ...(stored?.status ? { status: stored.status } : {}) };
        if (body.kind === 'CustomResourceDefinition')
          applied.status = pendingCrds.has(body.metadata.name)
            ? { conditions: [{ type: 'Established', status: 'False', reason: 'Installing' }] }
            : { conditions: [{ type: 'Established', status: 'True', reason: 'InitialNamesAccepted' }] };
        objects.set(path, applied);
        return send(response, 200, applied);
      }
      if (!stored)
        return status(response, 404, 'NotFound', `${path.split('/').at(-2)} "${path.split('/').at(-1)}" not found`);
      stored.metadata = {
        ...stored.metadata,
        annotations: { ...stored.metadata.annotations, ...body.metadata?.annotations },
      };
      return send(response, 200, stored);
    }
    if (request.method !== 'GET')
      return status(response, 405, 'MethodNotAllowed', `${request.method} is not served here`);
    if (stored) return send(response, 200, stored);
    const plural = path.split('/').at(-1)!;
    const known = Object.values(resources()).some((kinds) => Object.values(kinds).some(([name]) => name === plural));
    if (!known) return status(response, 404, 'NotFound', `${path.split('/').at(-2)} "${plural}" not found`);
    const root = path.split('/').slice(0, -1).join('/');
    const selector = [...(url.searchParams.get('labelSelector')?.split(',') ?? [])]
      .filter(Boolean)
      .map((s) => s.split('='));
    const items = [...objects]
      .filter(
        ([key]) =>
          key.split('/').at(-2) === plural &&
          (key.startsWith(`${path}/`) || (!path.includes('/namespaces/') && key.startsWith(`${root}/`))),
      )
      .map(([, object]) => object)
      .filter((object) => selector.every(([key, value]) => object.metadata.labels?.[key!] === value));
    return send(response, 200, { kind: 'List', apiVersion: 'v1', metadata: {}, items });
  };

  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => handle(request, response, text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    requests,
    objects,
    pendingCrds,
    stallNext: (path) => stalled.push(path),
    failNext: (method, path, code, reason, message) => failures.push({ method, path, code, reason, message }),
    kubeconfig: () =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        // The client refuses plain HTTP unless TLS verification is off: this server speaks HTTP on loopback.
        `- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
        'users:',
        `- name: fake\n  user:\n    token: ${token}`,
        'contexts:',
        '- name: fake\n  context:\n    cluster: fake\n    user: fake',
        'current-context: fake',
        '',
      ].join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
